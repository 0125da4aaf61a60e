"""Property-based tests of the pure rules, with generated plain facts (fast)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from goodword.courtesy.facts import PAIR_KINDS, Severity
from goodword.courtesy.rules import run_rules
from tests.factories.courtesy import facts, interview, listing, opp, ref

START = dt.datetime(2025, 1, 6, 12, 0, tzinfo=dt.UTC)
PIPELINE = ["lead", "applied", "interviewing", "references_requested", "offer", "landed"]
ENDINGS = ["rejected", "withdrawn", "declined"]
ZONES = ["UTC", "Europe/Paris", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "Pacific/Pago_Pago"]
LISTING_RULES = {"no_permission", "no_heads_up", "stale_briefing", "letter_without_draft", "outcome_not_shared",
                 "not_thanked", "called_unannounced", "short_slate"}


def moment(day: int, hour: int = 12) -> dt.datetime:
    return START + dt.timedelta(days=day, hours=hour - 12)


@st.composite
def stage_history(draw, end_at=None):
    """Stage changes along the pipeline (maybe ending early in a loss), dates moving forward."""
    if end_at is None:
        length = draw(st.integers(1, len(PIPELINE)))
        path = PIPELINE[:length]
        if path[-1] != "landed" and draw(st.booleans()):
            path = path + [draw(st.sampled_from(ENDINGS))]
    else:
        path = PIPELINE[: PIPELINE.index(end_at) + 1]
    day, history = 0, []
    for stage in path:
        day += draw(st.integers(0, 12))
        history.append((stage, (START + dt.timedelta(days=day)).date()))
    return history


@st.composite
def completed_listing(draw):
    """One reference, one opportunity, every courtesy done in order as it fell due."""
    history = draw(stage_history())
    last_day = (history[-1][1] - START.date()).days
    events = [("agreed", moment(0, 1)), ("heads_up", moment(0, 2))]
    interviews = []
    for day in sorted(draw(st.lists(st.integers(0, last_day), max_size=3))):
        interviews.append(interview(moment(day, 9)))
        events.append(("briefing", moment(day, 18)))
    if draw(st.booleans()):
        day = draw(st.integers(0, last_day))
        events += [("letter_requested", moment(day, 10)), ("draft_provided", moment(day, 11))]
    if draw(st.booleans()):
        events.append(("employer_contacted", moment(draw(st.integers(0, last_day)), 15)))
    for kind in draw(st.lists(st.sampled_from(["note", "call", "meeting", "agreed", "heads_up"]), max_size=4)):
        events.append((kind, moment(draw(st.integers(0, last_day)), 13)))
    announced_on = None
    # An offer is news the references hear first, as an outcome is.
    if history[-1][0] in ("offer", "landed", *ENDINGS):
        events += [("outcome_shared", moment(last_day, 12)), ("thanked", moment(last_day, 12) + dt.timedelta(hours=1))]
        if draw(st.booleans()):
            announced_on = history[-1][1] + dt.timedelta(days=draw(st.integers(1, 20)))
    last_event = max(when for _, when in events)
    now = last_event + dt.timedelta(days=draw(st.integers(0, 400)), hours=draw(st.integers(0, 23)))
    if announced_on and (announced_on - START.date()).days > (now - START).days:
        announced_on = None
    reference = ref(1, "Dana Whitfield", draw(st.sampled_from(["manager", "skip_level"])))
    job = opp(10, stages=history, references_wanted=1, announced_on=announced_on, interviews=interviews)
    row = listing(reference, job, *events, listed_at=moment(0, 0))
    return facts([reference], [job], [row], now=now, time_zone=draw(st.sampled_from(ZONES)))


@settings(max_examples=300, deadline=None)
@given(completed_listing())
def test_a_listing_whose_courtesy_sequence_was_completed_in_order_never_owes_anything(generated):
    owed = [debt for debt in run_rules(generated) if debt.rule in LISTING_RULES]
    assert owed == []


@st.composite
def requested_without_heads_up(draw):
    """A listing at "references requested" or later, with any events but a heads-up
    (and no employer call to this reference: that is the unannounced-call rule)."""
    end_at = draw(st.sampled_from(["references_requested", "offer", "landed"]))
    history = draw(stage_history(end_at=end_at))
    last_day = (history[-1][1] - START.date()).days
    kinds = [k for k in PAIR_KINDS if k not in ("heads_up", "employer_contacted")] + ["note", "call"]
    events = [(draw(st.sampled_from(kinds)), moment(draw(st.integers(0, last_day + 30)), draw(st.integers(0, 23))))
              for _ in range(draw(st.integers(0, 8)))]
    relationship = draw(st.sampled_from(["manager", "skip_level", "peer", "direct_report", "client", "mentor",
                                         "professor", "other"]))
    status = draw(st.sampled_from(["active", "resting", "retired", "do_not_use"]))
    reference = ref(1, "Dana Whitfield", relationship, status)
    other = ref(2, "Sam Ortiz", "peer")
    job = opp(10, stages=history, references_wanted=draw(st.integers(0, 5)),
              interviews=[interview(moment(draw(st.integers(0, last_day)), 9))])
    rows = [listing(reference, job, *events, listed_at=moment(draw(st.integers(0, last_day)), 0))]
    if draw(st.booleans()):
        rows.append(listing(other, job, ("agreed", moment(0)), ("heads_up", moment(0)),
                            ("employer_contacted", moment(last_day))))
    now = moment(last_day + 31) + dt.timedelta(days=draw(st.integers(0, 300)))
    return facts([reference, other], [job], rows, now=now, time_zone=draw(st.sampled_from(ZONES)))


@settings(max_examples=300, deadline=None)
@given(requested_without_heads_up())
def test_references_requested_without_a_heads_up_always_shows_the_critical_debt(generated):
    found = [debt for debt in run_rules(generated)
             if debt.rule == "no_heads_up" and debt.reference_id == 1 and debt.opportunity_id == 10]
    assert len(found) == 1
    assert found[0].severity == Severity.CRITICAL


@st.composite
def any_account(draw):
    """Several references and opportunities with arbitrary events: anything goes."""
    refs = [ref(i, f"Person {i}", draw(st.sampled_from(["manager", "peer", "hr_verifier", "client"])),
                draw(st.sampled_from(["active", "resting", "retired", "do_not_use"])),
                last_event_at=draw(st.none() | st.builds(moment, st.integers(0, 400))))
            for i in range(1, draw(st.integers(1, 5)) + 1)]
    jobs = [opp(100 + j, f"Company {j}", stages=draw(stage_history()), references_wanted=draw(st.integers(0, 4)),
                announced_on=draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 1))))
            for j in range(draw(st.integers(1, 4)))]
    pairs = draw(st.sets(st.tuples(st.sampled_from(refs), st.sampled_from(jobs)), max_size=8))
    rows = []
    for reference, job in pairs:
        events = draw(st.lists(st.tuples(st.sampled_from(PAIR_KINDS), st.builds(moment, st.integers(0, 200))),
                               max_size=10))
        rows.append(listing(reference, job, *events, listed_at=moment(draw(st.integers(0, 200)))))
    return facts(refs, jobs, rows, now=moment(draw(st.integers(0, 500))), time_zone=draw(st.sampled_from(ZONES)))


@settings(max_examples=200, deadline=None)
@given(any_account())
def test_every_debt_has_a_unique_key_a_reason_and_an_action_and_the_order_is_worst_first(generated):
    debts = run_rules(generated)
    keys = [debt.key for debt in debts]
    assert len(keys) == len(set(keys))
    assert all(debt.why and debt.action for debt in debts)
    assert [(-d.severity, d.due_on) for d in debts] == sorted((-d.severity, d.due_on) for d in debts)
