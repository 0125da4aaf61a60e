"""Which navigation entry the current page belongs to."""

SETTINGS_PAGES = {
    ("core", "settings"),
    ("courtesy", "settings"),
    ("outreach", "smtp"),
    ("outreach", "templates"),
    ("outreach", "template_edit"),
}
SECTIONS = {
    "core": "home",
    "courtesy": "due",
    "references": "references",
    "timeline": "references",
    "opportunities": "opportunities",
    "outreach": "outbox",
    "portal": "opportunities",
    "reminders": "settings",
}


def navigation(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    if (match.namespace, match.url_name) in SETTINGS_PAGES:
        return {"nav_section": "settings"}
    return {"nav_section": SECTIONS.get(match.namespace, "")}
