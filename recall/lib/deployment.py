"""A short tag naming a deployment by its database, for keys in stores deployments may share."""

import hashlib
from collections.abc import Mapping


def deployment_tag(database: Mapping[str, object]) -> str:
    """12 hex digits from the database's host, port and name (no secret in it: not the
    password). Two deployments on one database are one deployment."""
    where = f"{database.get('HOST') or ''}:{database.get('PORT') or ''}/{database.get('NAME')}"
    return hashlib.sha256(where.encode()).hexdigest()[:12]
