"""Is a name one a letter can be signed with? Django-free: the web, the CLI and drafts ask alike."""

from __future__ import annotations

# What people type when a form asks for a name they would rather not give yet,
# and what a fresh local account is called (GOODWORD_USER defaults to "me").
PLACEHOLDERS = frozenset({
    "me", "myself", "i", "you", "name", "my name", "your name", "first last", "firstname lastname",
    "first name last name", "john doe", "jane doe", "candidate", "user", "username", "test", "testing",
    "todo", "tbd", "n/a", "na", "none", "unknown", "anonymous", "x", "xx", "xxx", "abc", "asdf", "?", "-", ".",
})


def name_problem(name: str) -> str | None:
    """Why `name` cannot sign a document (a sentence), or None when it can."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        return "Your name is missing."
    if cleaned.casefold() in PLACEHOLDERS or len(cleaned) < 2:
        return f"“{cleaned}” reads as a placeholder, not a name."
    if "@" in cleaned:
        return "That is an email address, not a name."
    return None
