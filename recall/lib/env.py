"""Reading settings from the environment strictly: a bad value is an error, not a default."""

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping, MutableMapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from dj_database_url import DBConfig

from recall.lib.redis_sentinel import SCHEME as SENTINEL_SCHEME
from recall.lib.redis_sentinel import (
    SentinelConfig,
    SentinelUrlError,
    is_sentinel_url,
    parse_sentinel_url,
)

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})


class EnvError(Exception):
    """A setting is missing or malformed; the message names the variable and what it expects."""


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EnvError(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise EnvError(f"{name} must be a whole number, got {raw!r}") from None


def env_decimal(name: str, default: str, environ: Mapping[str, str] = os.environ) -> Decimal:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        raw = default
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise EnvError(f"{name} must be a decimal number, got {raw!r}") from None
    if not value.is_finite():
        raise EnvError(f"{name} must be a decimal number, got {raw!r}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str, environ: Mapping[str, str] = os.environ) -> DBConfig:
    url = environ.get(name) or default
    if not url.startswith(("postgres://", "postgresql://")):
        raise EnvError(f"{name} must be a postgres:// URL, got {url!r}")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise EnvError(f"{name} is not a valid database URL: {exc}") from None
    if not config.get("NAME"):
        raise EnvError(f"{name} must name a database, got {url!r}")
    return config


def env_redis_url(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    url = environ.get(name) or default
    if not url.startswith(("redis://", "rediss://", "unix://", SENTINEL_SCHEME)):
        raise EnvError(f"{name} must be a redis:// URL (or sentinel:// ones), got {url!r}")
    return url


def env_redis_sentinel(
    name: str, master_name: str, url: str, environ: Mapping[str, str] = os.environ
) -> SentinelConfig | None:
    """The Sentinels of a sentinel:// Redis URL (`name`'s value) and the master they watch
    (`master_name`'s value); None for a plain redis:// URL."""
    master = environ.get(master_name, "").strip()
    if not is_sentinel_url(url):
        if master:
            raise EnvError(f"{master_name} is set, but {name} is no sentinel:// URL: {url!r}")
        return None
    if not master:
        raise EnvError(f"{name} is a sentinel:// URL: {master_name} must name the master")
    try:
        return parse_sentinel_url(url, master)
    except SentinelUrlError as exc:
        raise EnvError(f"{name}: {exc}") from None


def env_secret_key(name: str, debug: bool, environ: Mapping[str, str] = os.environ) -> str:
    secret = environ.get(name, "").strip()
    if secret:
        return secret
    if debug:
        # Only for local development; DEBUG=false refuses to start without a real key.
        return "django-insecure-local-development-only"
    raise EnvError(f"{name} is required when DEBUG is false (set DEBUG=true for local development)")


def use_local_secret_key(environ: MutableMapping[str, str], path: Path) -> None:
    """For manage.py: a command typed by hand in a checkout, with neither DEBUG nor SECRET_KEY
    in its environment (`manage.py changepassword admin` outside make), signs with the
    checkout's own generated key instead of stopping. DEBUG stays off. An environment that says
    DEBUG=false, and every web server and worker (they never read this file), still stop
    without a SECRET_KEY."""
    if environ.get("SECRET_KEY", "").strip() or environ.get("DEBUG", "").strip():
        return
    environ["SECRET_KEY"] = local_secret_key(path)


def local_secret_key(path: Path) -> str:
    """The signing key of a development checkout, generated at first use and kept in `path`
    (readable by its owner only), so that a command typed by hand works like one run by make.
    Two processes creating it at once both end up with the one that was linked first."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()
