"""Small helpers that turn facts into plain, specific sentences. No Django here."""

from __future__ import annotations

import datetime as dt

HONORIFICS = {"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx."}

INTERVIEW_WORDS = {
    "phone": "phone screen",
    "video": "video interview",
    "onsite": "on-site interview",
    "panel": "panel",
    "take_home": "take-home exercise",
    "other": "interview",
}

ACTION_LABELS = {
    "agreed": "They agreed",
    "heads_up": "Heads-up sent",
    "briefing": "Briefing sent",
    "draft_provided": "Draft sent",
    "outcome_shared": "Outcome shared",
    "thanked": "Thanked them",
    "apology": "Apologised",
    "keep_in_touch": "Said hello",
    "rest": "Mark as resting",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def short_name(name: str) -> str:
    """"Dana" for "Dana Whitfield" (and for "Dr. Dana Whitfield")."""
    words = [word for word in name.split() if word.lower() not in HONORIFICS]
    return words[0] if words else (name.strip() or "them")


def day(value: dt.date, today: dt.date) -> str:
    """"3 Mar" this year, "3 Mar 2025" otherwise."""
    text = f"{value.day} {value:%b}"
    return text if value.year == today.year else f"{text} {value.year}"


def since(value: dt.date, today: dt.date) -> str:
    """How long ago, in words: "today", "yesterday", "5 days ago", "about 7 months ago"."""
    days = (today - value).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 45:
        return f"{days} days ago"
    months = round(days / 30.4)
    if months < 18:
        return f"about {months} months ago"
    return f"about {round(days / 365.25)} years ago"


def due_text(due_on: dt.date, today: dt.date) -> str:
    """"due today", "due tomorrow", "due in 3 days", "overdue by 2 days"."""
    days = (due_on - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days > 1:
        return f"due in {days} days"
    return "overdue by 1 day" if days == -1 else f"overdue by {-days} days"


def interview_phrase(when: dt.date, kind: str, today: dt.date) -> str:
    """"Tuesday's panel", "yesterday's phone screen", "the video interview on 3 Mar"."""
    word = INTERVIEW_WORDS.get(kind, "interview")
    days = (today - when).days
    if days == 0:
        return f"today's {word}"
    if days == 1:
        return f"yesterday's {word}"
    if 1 < days < 7:
        return f"{when:%A}'s {word}"
    return f"the {word} on {day(when, today)}"


def point(text: str, limit: int = 70) -> str:
    """The first line of a free-text note, quoted, short enough for one sentence
    (quoted because it is the user's own words, with their own capitals)."""
    first = next((line.strip(" -•*\t") for line in text.splitlines() if line.strip(" -•*\t")), "")
    first = first.rstrip(".;,")
    if not first:
        return ""
    return f"“{first if len(first) <= limit else first[: limit - 1].rstrip() + '…'}”"


def names(items: list[str], limit: int = 3, joiner: str = "and") -> str:
    """"Dana", "Dana and Sam", "Dana, Sam and Lee", "Dana, Sam, Lee and 2 more"."""
    items = list(items)
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" {joiner} {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"
