"""reverse(name, args=[pk]) at the cost of a string join.

A list page links to every row it shows (the pipeline, a slate, a timeline):
reverse() per row was a tenth of such a page's time. The URL is reversed once
per name and script prefix with a placeholder id, and the real id put in its place.
"""

from __future__ import annotations

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = 9_999_999_999  # an id no row has
_PATTERNS: dict[tuple[str, str], tuple[str, str]] = {}


def url_for_pk(name: str, pk: int) -> str:
    """The same as reverse(name, args=[pk]) for a URL pattern with one <int:pk>."""
    key = (name, get_script_prefix())
    parts = _PATTERNS.get(key)
    if parts is None:
        before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
        parts = _PATTERNS[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"
