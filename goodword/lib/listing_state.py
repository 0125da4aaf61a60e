"""Kept for older imports: the listing state lives in goodword/lib/vocabulary.py."""

from goodword.lib.vocabulary import (  # noqa: F401
    NEXT_DRAFT,
    STATE_LABELS,
    STEP_RANK,
    STEPS,
    listing_state,
    next_draft_kind,
    state_label,
)
