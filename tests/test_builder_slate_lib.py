"""The slate builder over hand-made books whose right answer is known, and its properties."""

import datetime as dt
from itertools import combinations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from goodword.lib.requirements import (
    Matcher,
    named_skills,
    parse_synonyms,
    references_asked_for,
    requirement_lines,
    synonym_problems,
)
from goodword.lib.slate_builder import (
    EXACT_LIMIT,
    MANAGER_KINDS,
    Rules,
    Candidate,
    best_coverage,
    mix_holds,
    select,
    suggest,
    wanted_count,
)

TODAY = dt.date(2026, 12, 1)
POSTING = """Senior Site Reliability Engineer at Northwind

About us: we make weather models.

What you'll bring:
- 5+ years running Kafka in production
- Experience with Kubernetes and Terraform
- Leading incident response and on-call rotations
- Strong Python skills
- Mentoring junior engineers

Please provide three professional references.
"""


def ref(id, name, relationship="peer", organisation="", vouches=(), **extra):
    return Candidate(id, name, relationship, organisation, vouches=tuple(vouches), **extra)


def names(suggestion):
    return [pick.candidate.name for pick in suggestion.picks]


def test_bullet_lines_become_requirements_and_headings_are_dropped():
    assert requirement_lines(POSTING) == [
        "5+ years running Kafka in production",
        "Experience with Kubernetes and Terraform",
        "Leading incident response and on-call rotations",
        "Strong Python skills",
        "Mentoring junior engineers",
    ]


def test_a_posting_without_bullets_gives_its_asking_sentences():
    text = "We are a small team. You will own our billing pipeline. Experience with Stripe is required. Lunch is free."
    assert requirement_lines(text) == ["You will own our billing pipeline", "Experience with Stripe is required"]


def test_the_skills_and_domains_a_posting_names_are_listed_once():
    lines = requirement_lines(POSTING) + ["Knowledge of Google Cloud Platform, C++ or k8s", "Terraform at scale",
                                          "Build the Kafka platform"]
    assert named_skills(lines) == ["Kafka", "Kubernetes", "Terraform", "Python", "Google Cloud Platform", "C++", "k8s"]


def test_the_employers_count_and_senior_roles_set_how_many():
    assert references_asked_for(POSTING) == 3
    assert references_asked_for("Two references, please") == 2
    assert wanted_count(None, "Senior SRE", "no count here") == 4  # not said: the role's default
    assert wanted_count(None, "Backend developer", "") == 3
    assert wanted_count(5, "Backend developer", "") == 5
    assert wanted_count(None, "Staff engineer", POSTING) == 3


def test_stems_synonyms_and_misspellings_match_multi_word_skills():
    lines = requirement_lines(POSTING)
    matcher = Matcher(lines, parse_synonyms("k8s = kubernetes\npager duty, on-call"))
    assert matcher.covered_by("Kafka") == 0b00001
    assert matcher.covered_by("k8s") == 0b00010  # a synonym
    assert matcher.covered_by("Kubernets") == 0b00010  # misspelt
    assert matcher.covered_by("led incident-response") == 0
    assert matcher.covered_by("incident-response") == 0b00100  # hyphenated multi-word skill
    assert matcher.covered_by("pager duty") == 0b00100
    assert matcher.covered_by("mentored juniors") == 0b10000  # stems
    assert matcher.covered_by("Go") == 0  # short words must match exactly
    assert matcher.covered_by("Kafka and Rust") == 0  # every word of a vouch must appear


def test_synonym_list_problems_are_named():
    assert synonym_problems("k8s = kubernetes\n# a comment\n") == []
    assert "Line 2" in synonym_problems("k8s = kubernetes\njust-one")[0]


def test_the_known_best_slate_for_a_small_book_with_reasons_and_gaps():
    book = [
        ref(1, "Dana", "manager", "Northwind", ["Kafka", "on-call"], last_in_touch=TODAY - dt.timedelta(days=21),
            listings_in_window=1),
        ref(2, "Priya", "peer", "Northwind", ["Python", "Terraform"]),
        ref(3, "Ruth", "client", "Acme", ["mentoring"]),
        ref(4, "Hal", "hr_verifier", "Acme"),
        ref(5, "Zed", "peer", "Zeta", ["Kafka", "Python", "mentoring"], status="do_not_use"),
        ref(6, "Ann", "direct_report", "", ["incident response"], away_until=dt.date(2027, 1, 3)),
        ref(7, "Max", "peer", "Northwind", ["Python"]),
    ]
    result = suggest(requirement_lines(POSTING), book, wanted=3, today=TODAY)
    assert names(result) == ["Dana", "Priya", "Ruth", "Max"]
    assert result.picks[0].reasons == [
        "covers Kafka and on-call", "your manager at Northwind", "last in touch 3 weeks ago",
        "listed once in the last 30 days",
    ]
    assert [pick.extra for pick in result.picks] == [False, False, False, True]
    assert result.uncovered == []
    assert result.verifier.name == "Hal"
    skipped = {c.name: reason for c, reason in result.skipped}
    assert "Zed" not in skipped  # do-not-use: left out without being named
    assert skipped["Ann"] == "away until 3 January 2027"
    assert "employment-verifier" in skipped["Hal"]


def test_what_stays_uncovered_is_listed():
    book = [ref(1, "Dana", "manager", "Northwind", ["Kafka"])]
    result = suggest(requirement_lines(POSTING), book, wanted=3, today=TODAY)
    assert names(result) == ["Dana"]
    assert result.uncovered == requirement_lines(POSTING)[1:]
    assert result.covered_share == pytest.approx(0.2)
    assert "Only 1 reference could be suggested" in result.notes[0]


def test_ties_go_to_the_rested_then_the_recently_in_touch_then_by_name():
    book = [
        ref(1, "Cleo", "manager", "A", ["Kafka"], listings_in_window=3),
        ref(2, "Bea", "manager", "B", ["Kafka"], last_in_touch=TODAY - dt.timedelta(days=10)),
        ref(3, "Abe", "manager", "C", ["Kafka"]),
        ref(4, "Aaron", "manager", "D", ["Kafka"]),
    ]
    result = suggest(["Kafka in production"], book, wanted=1, today=TODAY)
    assert names(result) == ["Bea", "Aaron"]
    tired = suggest(["Kafka in production"], book, wanted=3, today=TODAY).picks[-1]
    assert tired.candidate.name == "Cleo"
    assert "listed 3 times in the last 30 days: ask whether they mind" in tired.reasons


def test_an_empty_book_suggests_nobody_and_says_so():
    result = suggest(requirement_lines(POSTING), [], wanted=3, today=TODAY)
    assert result.picks == [] and result.verifier is None
    assert result.uncovered == requirement_lines(POSTING)
    assert result.notes == ["Nobody in your book can be suggested for this one yet."]


def test_a_book_of_only_hr_verifiers_offers_the_verifier_line():
    book = [ref(1, "Hal", "hr_verifier", "Acme"), ref(2, "Hana", "hr_verifier", "Beta",
                                                       last_in_touch=TODAY - dt.timedelta(days=3))]
    result = suggest(requirement_lines(POSTING), book, wanted=3, today=TODAY)
    assert result.picks == []
    assert result.verifier.name == "Hana"


def test_a_posting_in_a_language_the_stemmer_does_not_know_still_matches_words():
    posting = "- Erfahrung mit Kafka und Kubernetes\n- Gute Deutschkenntnisse\n- Führungserfahrung im Team"
    lines = requirement_lines(posting)
    assert len(lines) == 3
    book = [ref(1, "Jonas", "manager", "Berlin AG", ["Kubernetes"]), ref(2, "Lea", "peer", "Köln AG", ["Führungserfahrung"])]
    result = suggest(lines, book, wanted=2, today=TODAY)
    assert names(result) == ["Jonas", "Lea"]
    assert result.uncovered == ["Gute Deutschkenntnisse"]


def test_a_posting_of_50000_characters_is_cut_to_the_line_limit_quickly():
    posting = "\n".join(f"- Experience with skill{n} and tool{n} in production" for n in range(2000))[:50_000]
    lines = requirement_lines(posting)
    assert len(lines) == 60
    book = [ref(n, f"R{n}", "manager" if n % 5 == 0 else "peer", f"Org{n % 7}", [f"skill{n}", "tool3"])
            for n in range(200)]
    result = suggest(lines, book, wanted=3, today=TODAY)
    assert len(result.picks) == 4
    assert len(result.uncovered) == 60 - 5  # four own skills, and tool3 once


def test_the_organisation_cap_holds_and_the_manager_is_kept_reachable():
    # Two Northwind peers cover the most, but taking both would leave the
    # manager (also at Northwind) out of reach under the cap of two.
    book = [
        ref(1, "P1", "peer", "Northwind", ["Kafka", "Python"]),
        ref(2, "P2", "peer", "Northwind", ["Terraform", "mentoring"]),
        ref(3, "M", "manager", "Northwind", ["on-call"]),
        ref(4, "X", "other", "Acme", []),
        ref(5, "Y", "other", "Beta", []),
    ]
    result = suggest(requirement_lines(POSTING), book, wanted=3, today=TODAY)
    chosen = [pick.candidate for pick in result.picks]
    assert any(c.relationship in MANAGER_KINDS for c in chosen)
    assert sum(c.organisation == "Northwind" for c in chosen) == 2


# ---------------------------------------------------------------- properties

RELATIONSHIPS = ["manager", "skip_level", "peer", "direct_report", "client", "mentor", "other", "hr_verifier"]
LINES = [f"Experience with skill{n}" for n in range(8)]


@st.composite
def books(draw, max_size=9):
    size = draw(st.integers(0, max_size))
    return [
        Candidate(
            id=n + 1, name=f"R{n}",
            relationship=draw(st.sampled_from(RELATIONSHIPS)),
            organisation=draw(st.sampled_from(["", "Acme", "Beta", "Core"])),
            status=draw(st.sampled_from(["active", "active", "active", "resting", "do_not_use"])),
            vouches=tuple(f"skill{k}" for k in draw(st.sets(st.integers(0, 9), max_size=3))),
            listings_in_window=draw(st.integers(0, 4)),
        )
        for n in range(size)
    ]


def cap_fits(book, slots):
    pool = [c for c in book if c.status == "active" and c.relationship != "hr_verifier"]
    cap = max(1, slots // 2)
    per_org = {}
    for c in pool:
        per_org[c.org_key] = per_org.get(c.org_key, 0) + 1
    return sum(min(count, cap) for count in per_org.values()) >= min(slots, len(pool))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(book=books(), wanted=st.integers(1, 4), data=st.data())
def test_adding_someone_who_covers_an_uncovered_line_never_lowers_the_covered_share(book, wanted, data):
    before = suggest(LINES, book, wanted=wanted, today=TODAY)
    assume(before.uncovered)
    line = data.draw(st.sampled_from(before.uncovered))
    newcomer = Candidate(999, "New", "other", "", vouches=(line.split()[-1],))
    after = suggest(LINES, [*book, newcomer], wanted=wanted, today=TODAY)
    # A newcomer can make the organisation cap possible where it was not, and
    # the cap then binds (a known trade-off, see the report): compare like with like.
    assume(cap_fits(book, wanted + 1) == cap_fits([*book, newcomer], wanted + 1))
    assert after.covered_share >= before.covered_share


@settings(max_examples=150, deadline=None)
@given(book=books(), wanted=st.integers(1, 4))
def test_do_not_use_references_are_never_suggested(book, wanted):
    result = suggest(LINES, book, wanted=wanted, today=TODAY)
    assert all(pick.candidate.status == "active" for pick in result.picks)
    assert all(pick.candidate.relationship != "hr_verifier" for pick in result.picks)


@pytest.mark.parametrize("exact_limit", [EXACT_LIMIT, 0], ids=["small-book search", "large-book heuristic"])
@settings(max_examples=200, deadline=None)
@given(book=books(), wanted=st.integers(1, 4))
def test_the_mix_rules_hold_whenever_the_book_allows_them(exact_limit, book, wanted):
    slots = wanted + 1
    pool = [c for c in book if c.status == "active" and c.relationship != "hr_verifier"]
    matcher = Matcher(LINES)
    chosen = select(pool, {c.id: sum_masks(matcher, c.vouches) for c in pool}, slots, TODAY, Rules(),
                    exact_limit=exact_limit)
    cap = max(1, slots // 2)
    per_org = {}
    for c in pool:
        per_org[c.org_key] = per_org.get(c.org_key, 0) + 1
    if sum(min(count, cap) for count in per_org.values()) >= min(slots, len(pool)):
        assert mix_holds(chosen, slots)
    if any(c.relationship in MANAGER_KINDS for c in pool):
        assert any(c.relationship in MANAGER_KINDS for c in chosen)
    if any(all_rules_hold(group, slots) for group in combinations(pool, min(slots, len(pool)))):
        assert all_rules_hold(chosen, slots)
    assert len(chosen) == min(slots, len(pool))


@settings(max_examples=100, deadline=None)
@given(book=books(max_size=8), wanted=st.integers(1, 3))
def test_greedy_selection_is_near_the_best_the_mix_rules_allow_on_small_books(book, wanted):
    pool = [c for c in book if c.status == "active" and c.relationship != "hr_verifier"]
    matcher = Matcher(LINES)
    masks = {c.id: sum_masks(matcher, c.vouches) for c in pool}
    chosen = select(pool, masks, wanted + 1, TODAY, Rules(), exact_limit=0)  # the heuristic for large books
    covered = 0
    for c in chosen:
        covered |= masks[c.id]
    best = best_coverage(pool, masks, wanted + 1)
    # Greedy within a cap per organisation is at least half the best in theory;
    # the swaps do better. The benchmark reports the mean ratio on many books (target 95 %).
    assert covered.bit_count() >= 0.5 * best
    assert len(chosen) == min(wanted + 1, len(pool))


@settings(max_examples=100, deadline=None)
@given(book=books(max_size=8), wanted=st.integers(1, 3))
def test_small_books_get_the_best_selection_the_mix_rules_allow(book, wanted):
    pool = [c for c in book if c.status == "active" and c.relationship != "hr_verifier"]
    matcher = Matcher(LINES)
    masks = {c.id: sum_masks(matcher, c.vouches) for c in pool}
    covered = 0
    for c in select(pool, masks, wanted + 1, TODAY, Rules()):
        covered |= masks[c.id]
    assert covered.bit_count() == best_coverage(pool, masks, wanted + 1)


def all_rules_hold(group, slots):
    return (mix_holds(list(group), slots) and any(c.relationship in MANAGER_KINDS for c in group)
            and any(c.relationship in ("peer", "direct_report", "client") for c in group))


def sum_masks(matcher, vouches):
    mask = 0
    for vouch in vouches:
        mask |= matcher.covered_by(vouch)
    return mask
