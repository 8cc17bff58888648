"""The audit log in words: a sentence for each event ("alice changed bob's role from Volunteer to
Reviewer") and its details as rows of a small table, for the audit-log page and its CSV."""

from dataclasses import dataclass
from typing import Any

from recall.models import AuditAction, AuditEvent

# Keys of a role change's before/after (recall.services.role_state), as a person reads them.
_STATE_LABELS = {
    "roles": "Role",
    "permissions": "Own permissions",
    "is_active": "Active",
    "is_staff": "Admin site",
    "is_superuser": "Superuser",
}


# The other actions: who did it, then this, with the event's target as {t}.
_SENTENCES: dict[str, str] = {
    AuditAction.LINE_EDITED: "edited {t}",
    AuditAction.LINE_REVIEWED: "decided {t} by hand",
    AuditAction.LINE_UNDONE: "undid a change to {t}",
    AuditAction.LINE_TRANSCRIPTION: "chose the transcription of {t}",
    AuditAction.LINE_WITHDRAWN: "withdrew the signature of {t}",
    AuditAction.PETITION_CREATED: "created {t}",
    AuditAction.PETITION_CHANGED: "changed the settings of {t}",
    AuditAction.IMPORT: "started the import of {t}",
    AuditAction.SIGNATURE_IMPORT: "imported signature lines: {t}",
    AuditAction.ROLL_ACTIVATED: "made {t} the active roll",
    AuditAction.ROLL_CANCELLED: "cancelled the import of {t}",
    AuditAction.ROLL_PRUNED: "erased {t}",
    AuditAction.EXPORT: "exported {t}",
    AuditAction.DOWNLOAD: "downloaded {t}",
}


@dataclass(frozen=True)
class DetailRow:
    label: str
    value: str = ""  # a fact of the event
    before: str = ""  # or a change: before and after
    after: str = ""
    changed: bool = False


def _actor(event: AuditEvent) -> str:
    return event.username or "The system"


def _subject(event: AuditEvent) -> str:
    """The user an account event is about ("user bob" -> "bob"), else the target as it is."""
    return event.target.removeprefix("user ")


def _roles(state: dict[str, Any] | None) -> str:
    roles = (state or {}).get("roles") or []
    return ", ".join(roles) if roles else "no role"


def _role_change_parts(
    before: dict[str, Any] | None, after: dict[str, Any], name: str
) -> list[str]:
    if before is None:
        return [f"added user {name} as {_roles(after)}"]
    parts = []
    if before.get("roles") != after.get("roles"):
        parts.append(f"changed {name}'s role from {_roles(before)} to {_roles(after)}")
    if before.get("is_active") != after.get("is_active"):
        parts.append(f"{'reactivated' if after.get('is_active') else 'deactivated'} {name}")
    if before.get("is_superuser") != after.get("is_superuser"):
        made = after.get("is_superuser")
        parts.append(f"made {name} a superuser" if made else f"took superuser status from {name}")
    if before.get("permissions") != after.get("permissions"):
        parts.append(f"changed {name}'s own permissions")
    return parts or [f"changed {name}'s rights"]


def event_sentence(event: AuditEvent) -> str:
    """What happened, in a sentence that names who did it."""
    who, name, detail = _actor(event), _subject(event), event.detail or {}
    action = event.action
    if action == AuditAction.LOGIN:
        return f"{who} logged in"
    if action == AuditAction.LOGIN_FAILED:
        return f"Failed login as {name}"
    if action == AuditAction.LOCKOUT:
        return f"Login as {name} locked out after too many failed attempts"
    if action == AuditAction.ROLE_CHANGE:
        parts = _role_change_parts(detail.get("before"), detail.get("after") or {}, name)
        return f"{who} {' and '.join(parts)}"
    if action == AuditAction.PASSWORD_CHANGE:
        return (
            f"{who} changed their password" if detail.get("own") else f"{who} set {name}'s password"
        )
    if action == AuditAction.USER_DELETED:
        return f"{who} deleted user {name}"
    if action == AuditAction.UNLOCK:
        return f"{who} unlocked {name}'s login"
    if action == AuditAction.PASSWORD_LINK:
        emailed = " and e-mailed it" if detail.get("emailed") else ""
        return f"{who} made a set-password link for {name}{emailed}"
    if action == AuditAction.LOOKUP_FLAG:
        return f"{name} made unusually many voter look-ups"
    if action in _SENTENCES:
        return f"{who} {_SENTENCES[action].format(t=event.target)}"
    return f"{who}: {event.get_action_display()}, {event.target}"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items()) or "none"
    return str(value)


def _label(key: str) -> str:
    return _STATE_LABELS.get(key) or key.replace("_", " ").capitalize()


# Details the sentence already says.
_SAID: dict[str, set[str]] = {AuditAction.PASSWORD_CHANGE: {"own"}}
# A new account's state worth a row only when it is not the usual (active, no extra rights).
_USUAL_NEW = {"is_active": True, "is_staff": False, "is_superuser": False, "permissions": []}


def detail_rows(event: AuditEvent) -> list[DetailRow]:
    """The event's details: a row for each fact, and for each field a change touched, its value
    before and after (a new account's: what it was given, the usual left out)."""
    detail = dict(event.detail or {})
    before, after = detail.pop("before", None), detail.pop("after", None)
    said = _SAID.get(event.action, set())
    rows = [
        DetailRow(label=_label(key), value=_text(value))
        for key, value in detail.items()
        if key not in said
    ]
    if before is None and isinstance(after, dict):
        rows += [
            DetailRow(label=_label(k), value=_text(v))
            for k, v in after.items()
            if k not in _USUAL_NEW or _USUAL_NEW[k] != v
        ]
    elif isinstance(before, dict) or isinstance(after, dict):
        old, new = before or {}, after or {}
        rows += [
            DetailRow(label=_label(k), before=_text(old.get(k)), after=_text(new.get(k)),
                      changed=True)
            for k in {**old, **new}
            if old.get(k) != new.get(k)
        ]  # fmt: skip
    return rows


def detail_text(rows: list[DetailRow]) -> str:
    """The details on one line, for the CSV."""
    return "; ".join(
        f"{r.label}: {r.before} -> {r.after}" if r.changed else f"{r.label}: {r.value}"
        for r in rows
    )
