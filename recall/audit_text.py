"""The audit log in words: a sentence for each event ("alice changed bob's role from Volunteer to
Reviewer") and its details as rows of a small table, for the audit-log page and its CSV."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recall.models import AuditAction, AuditEvent

# Keys of a role change's before/after (recall.services.role_state), as a person reads them.
_STATE_LABELS = {
    "roles": _("Role"),
    "permissions": _("Own permissions"),
    "is_active": _("Active"),
    "is_staff": _("Admin site"),
    "is_superuser": _("Superuser"),
    # Scans erased (scans.retention): the counts.
    "pages": _("Pages"),
    "line_images": _("Line images"),
    "layout_references": _("Layout reference images"),
    "leftover_files": _("Files no row named"),
    "filed_on": _("Filed on"),
    "kept_days": _("Days kept after filing"),
    "finished": _("All erased"),
    # Sections held, released and filed (petitions.services.sections).
    "reason": _("Reason"),
    "lines": _("Lines"),
    "held_reason": _("Why it was held"),
    "held_at": _("Held since"),
    "note": _("Note"),
    "serials": _("Sections"),
    "sections": _("How many sections"),
    "all_ready": _("Every section neither held nor filed"),
}


# The other actions: who did it, then this, with the event's target as %(t)s.
_SENTENCES: dict[str, Any] = {
    AuditAction.LINE_EDITED: _("%(who)s edited %(t)s"),
    AuditAction.LINE_REVIEWED: _("%(who)s decided %(t)s by hand"),
    AuditAction.LINE_UNDONE: _("%(who)s undid a change to %(t)s"),
    AuditAction.LINE_TRANSCRIPTION: _("%(who)s chose the transcription of %(t)s"),
    AuditAction.LINE_WITHDRAWN: _("%(who)s withdrew the signature of %(t)s"),
    AuditAction.PETITION_CREATED: _("%(who)s created %(t)s"),
    AuditAction.PETITION_CHANGED: _("%(who)s changed the settings of %(t)s"),
    AuditAction.IMPORT: _("%(who)s started the import of %(t)s"),
    AuditAction.SIGNATURE_IMPORT: _("%(who)s imported signature lines: %(t)s"),
    AuditAction.ROLL_ACTIVATED: _("%(who)s made %(t)s the active roll"),
    AuditAction.ROLL_CANCELLED: _("%(who)s cancelled the import of %(t)s"),
    AuditAction.ROLL_PRUNED: _("%(who)s erased %(t)s"),
    AuditAction.EXPORT: _("%(who)s exported %(t)s"),
    AuditAction.DOWNLOAD: _("%(who)s downloaded %(t)s"),
    # A reviewer's or organizer's look at a section they do not key (once per image in 10 min).
    AuditAction.SCAN_VIEWED: _("%(who)s looked at the scan of %(t)s"),
    AuditAction.SCANS_ERASED: _("%(who)s erased the scans of %(t)s"),
    AuditAction.CIRCULATOR_CHANGED: _("%(who)s changed %(t)s"),
    AuditAction.CIRCULATORS_MERGED: _("%(who)s merged another record into %(t)s"),
    AuditAction.CIRCULATOR_MERGE_DISMISSED: _("%(who)s said these are different people: %(t)s"),
    AuditAction.PAY_PERIOD_CLOSED: _("%(who)s closed %(t)s"),
    AuditAction.SECTION_HELD: _("%(who)s held %(t)s"),
    AuditAction.SECTION_RELEASED: _("%(who)s released %(t)s"),
    AuditAction.SECTIONS_FILED: _("%(who)s marked sections of %(t)s filed"),
    AuditAction.SECTIONS_UNFILED: _("%(who)s took back the filing of sections of %(t)s"),
    AuditAction.REGISTRAR_IMPORTED: _("%(who)s imported the registrar's results for %(t)s"),
    AuditAction.REGISTRAR_WITHDRAWN: _(
        "%(who)s withdrew an import of the registrar's results for %(t)s"
    ),
}


@dataclass(frozen=True)
class DetailRow:
    label: str
    value: str = ""  # a fact of the event
    before: str = ""  # or a change: before and after
    after: str = ""
    changed: bool = False


def _actor(event: AuditEvent) -> str:
    return event.username or gettext("The system")


def _subject(event: AuditEvent) -> str:
    """The user an account event is about ("user bob" -> "bob"), else the target as it is."""
    return event.target.removeprefix("user ")


def _roles(state: dict[str, Any] | None) -> str:
    roles = (state or {}).get("roles") or []
    return ", ".join(gettext(r) for r in roles) if roles else gettext("no role")


def _role_change_parts(
    before: dict[str, Any] | None, after: dict[str, Any], name: str
) -> list[str]:
    if before is None:
        return [
            gettext("added user %(name)s as %(roles)s") % {"name": name, "roles": _roles(after)}
        ]
    parts = []
    if before.get("roles") != after.get("roles"):
        parts.append(gettext("changed %(name)s's role from %(before)s to %(after)s") % {
            "name": name, "before": _roles(before), "after": _roles(after)})  # fmt: skip
    if before.get("is_active") != after.get("is_active"):
        if after.get("is_active"):
            parts.append(gettext("reactivated %(name)s") % {"name": name})
        else:
            parts.append(gettext("deactivated %(name)s") % {"name": name})
    if before.get("is_superuser") != after.get("is_superuser"):
        made = after.get("is_superuser")
        parts.append(
            gettext("made %(name)s a superuser") % {"name": name}
            if made
            else gettext("took superuser status from %(name)s") % {"name": name}
        )
    if before.get("permissions") != after.get("permissions"):
        parts.append(gettext("changed %(name)s's own permissions") % {"name": name})
    return parts or [gettext("changed %(name)s's rights") % {"name": name}]


def _and(parts: list[str]) -> str:
    """The parts joined as "a and b and c", in the reader's language."""
    text = parts[0]
    for part in parts[1:]:
        text = gettext("%(previous)s and %(next)s") % {"previous": text, "next": part}
    return text


def event_sentence(event: AuditEvent) -> str:
    """What happened, in a sentence that names who did it."""
    who, name, detail = _actor(event), _subject(event), event.detail or {}
    action = event.action
    if action == AuditAction.LOGIN:
        return gettext("%(who)s logged in") % {"who": who}
    if action == AuditAction.LOGIN_FAILED:
        return gettext("Failed login as %(name)s") % {"name": name}
    if action == AuditAction.LOCKOUT:
        return gettext("Login as %(name)s locked out after too many failed attempts") % {
            "name": name}  # fmt: skip
    if action == AuditAction.ROLE_CHANGE:
        parts = _role_change_parts(detail.get("before"), detail.get("after") or {}, name)
        # Translators: who did it, then what they did ("alice changed bob's role from ...").
        return gettext("%(who)s %(actions)s") % {"who": who, "actions": _and(parts)}
    if action == AuditAction.PASSWORD_CHANGE:
        if detail.get("own"):
            return gettext("%(who)s changed their password") % {"who": who}
        return gettext("%(who)s set %(name)s's password") % {"who": who, "name": name}
    if action == AuditAction.USER_DELETED:
        return gettext("%(who)s deleted user %(name)s") % {"who": who, "name": name}
    if action == AuditAction.UNLOCK:
        return gettext("%(who)s unlocked %(name)s's login") % {"who": who, "name": name}
    if action == AuditAction.PASSWORD_LINK:
        if detail.get("emailed"):
            return gettext("%(who)s made a set-password link for %(name)s and e-mailed it") % {
                "who": who, "name": name}  # fmt: skip
        return gettext("%(who)s made a set-password link for %(name)s") % {"who": who, "name": name}
    if action == AuditAction.LOOKUP_FLAG:
        return gettext("%(name)s made unusually many voter look-ups") % {"name": name}
    if action in _SENTENCES:
        return str(_SENTENCES[action]) % {"who": who, "t": event.target}
    return f"{who}: {event.get_action_display()}, {event.target}"


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) if value else gettext("none")
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items()) or gettext("none")
    return str(value)


def _label(key: str) -> str:
    label = _STATE_LABELS.get(key)
    return str(label) if label else key.replace("_", " ").capitalize()


# Details the sentence already says.
_SAID: dict[str, set[str]] = {
    AuditAction.PASSWORD_CHANGE: {"own"},
    AuditAction.SCAN_VIEWED: {"image", "petition", "section", "number"},
}
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
