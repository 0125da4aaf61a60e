from goodword.timeline.services import log_event


def make_event(reference, kind="note", *, opportunity=None, **fields):
    return log_event(reference.owner, reference, kind, opportunity=opportunity, **fields)
