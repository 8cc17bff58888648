"""The Scans panel of a section's page, rendered where the page includes it (the section page's
own view need not know about scans)."""

from typing import Any

from django import template

from scans.access import can_view_scans
from scans.upload_forms import ACCEPT
from scans.uploads import section_scan_panel

register = template.Library()


@register.inclusion_tag("scans/_section_scans_panel.html", takes_context=True)
def section_scans_panel(context: template.Context) -> dict[str, Any]:
    request, section = context.get("request"), context.get("section")
    if request is None or section is None or not can_view_scans(request.user, section):
        return {"show": False}
    return {
        "show": True, "request": request, "accept": ACCEPT,
        **section_scan_panel(request.user, section),
    }  # fmt: skip
