"""`goodword ref …` against the real database, acting as alice."""

import json

import pytest

from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.cli import error_lines
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def test_ref_add_saves_every_option_and_says_so(run, alice):
    result = run(
        "ref", "add", "Dana Whitfield", "--email", "dana@larkspur.example", "--email", "dana@home.example",
        "--phone", "+1 503 555 0142", "--title", "Director", "--org", "Larkspur Analytics",
        "--relationship", "skip-level", "--known-since", "2021-03-01", "--met", "She hired me",
        "--vouch", "Billing migration", "--vouch", "On-call redesign", "--likes", "fly fishing",
        "--channel", "phone", "--hours", "evenings", "--consent-on", "2026-01-05", "--consent-scope", "engineering roles",
        "--status", "active", "--notes", "Call first",
    )
    assert result.exit_code == 0, result.output
    dana = Reference.objects.for_user(alice).get()
    assert result.output.strip() == f"Added Dana Whitfield (id {dana.pk})."
    assert dana.emails == ["dana@larkspur.example", "dana@home.example"]
    assert dana.relationship == "skip_level"
    assert dana.vouches_for == ["Billing migration", "On-call redesign"]
    assert str(dana.known_since) == "2021-03-01" and str(dana.consent_given_on) == "2026-01-05"
    assert (dana.organisation, dana.how_we_met, dana.preferred_channel, dana.preferred_hours) == (
        "Larkspur Analytics", "She hired me", "phone", "evenings"
    )


def test_ref_list_shows_only_your_references_and_filters(run, alice, bob):
    make_reference(alice, name="Dana Whitfield", relationship="manager")
    make_reference(alice, name="Priya Venkataraman", relationship="peer", status="resting")
    make_reference(bob, name="Bob's Secret Referee")
    result = run("ref", "list")
    assert result.exit_code == 0
    assert "Dana Whitfield" in result.output and "Priya Venkataraman" in result.output
    assert "Secret" not in result.output
    assert "Priya" not in run("ref", "list", "--status", "active").output
    assert "Dana" not in run("ref", "list", "--relationship", "peer").output


def test_ref_list_json_has_the_documented_fields(run, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    make_event(dana, "call")
    rows = json.loads(run("ref", "list", "--json").stdout)
    assert [row["name"] for row in rows] == ["Dana Whitfield"]
    assert set(rows[0]) == set(dana.as_dict()) | {"last_event_at"}
    assert rows[0]["last_event_at"] is not None


def test_ref_show_json_nests_listings_with_state_and_timeline_newest_first(run, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind Traders", stage="references_requested")
    make_listing(job, dana)
    make_event(dana, "agreed", opportunity=job, occurred_at=_ago(3))
    make_event(dana, "heads_up", opportunity=job, occurred_at=_ago(1), channel="phone")
    make_event(dana, "keep_in_touch", occurred_at=_ago(30))
    data = json.loads(run("ref", "show", "Dana", "--json").stdout)
    assert data["id"] == dana.pk and data["name"] == "Dana Whitfield"
    [listing] = data["listings"]
    assert listing["opportunity"] == {"id": job.pk, "company": "Northwind Traders", "role": job.role,
                                      "stage": "references_requested"}
    assert (listing["state"], listing["state_label"]) == ("heads_up", "Heads-up sent")
    assert [event["kind"] for event in data["timeline"]] == ["heads_up", "agreed", "keep_in_touch"]
    assert set(data["timeline"][0]) == {"id", "reference_id", "opportunity_id", "kind", "kind_label", "channel",
                                        "occurred_at", "note"}


def test_ref_show_prints_details_listings_and_timeline(run, alice):
    dana = make_reference(alice, name="Dana Whitfield", likes="good coffee", vouches_for=["Billing migration"])
    job = make_opportunity(alice, company="Northwind Traders", role="Platform Engineer")
    make_listing(job, dana)
    make_event(dana, "heads_up", opportunity=job, note="Sofia will call")
    output = run("ref", "show", str(dana.pk)).output
    assert "Dana Whitfield (id" in output and "good coffee" in output and "Billing migration" in output
    assert "Platform Engineer at Northwind Traders" in output and "Heads-up sent" in output
    assert "Sofia will call" in output


def test_ref_edit_changes_fields_and_a_repeated_option_replaces_the_list(run, alice):
    dana = make_reference(alice, name="Dana Whitfield", emails=["old@example.com"], phones=["+1 555 0100"])
    result = run("ref", "edit", "Dana", "--email", "a@example.com", "--email", "b@example.com",
                 "--phone", "", "--status", "resting", "--known-since", "2020-02-02")
    assert result.exit_code == 0, result.output
    dana.refresh_from_db()
    assert dana.emails == ["a@example.com", "b@example.com"]
    assert dana.phones == []
    assert dana.status == "resting" and str(dana.known_since) == "2020-02-02"
    run("ref", "edit", "Dana", "--known-since", "", "--name", "Dana W.")
    dana.refresh_from_db()
    assert dana.known_since is None and dana.name == "Dana W."


def test_ref_edit_with_nothing_to_change_is_a_usage_error(run, alice):
    make_reference(alice, name="Dana Whitfield")
    result = run("ref", "edit", "Dana")
    assert result.exit_code == 2 and "Nothing to change" in result.output


def test_ref_rm_asks_first_naming_the_timeline_and_deletes_on_yes(run, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    make_event(dana, "call")
    make_event(dana, "thanked")
    refused = run("ref", "rm", "Dana", input="n\n")
    assert "timeline (2 events)" in refused.output
    assert refused.exit_code == 1 and Reference.objects.filter(pk=dana.pk).exists()
    result = run("ref", "rm", "Dana", input="y\n")
    assert result.exit_code == 0 and "Deleted Dana Whitfield and 2 events." in result.output
    assert not Reference.objects.filter(pk=dana.pk).exists()
    assert not Event.objects.for_user(alice).exists()


def test_ref_rm_yes_skips_the_question(run, alice):
    make_reference(alice, name="Dana Whitfield")
    assert run("ref", "rm", "Dana", "--yes").exit_code == 0
    assert not Reference.objects.for_user(alice).exists()


def test_another_users_reference_is_unknown_by_id_and_ignored_by_name(run, alice, bob):
    mine = make_reference(alice, name="Dana Whitfield")
    theirs = make_reference(bob, name="Dana Smith")
    result = run("ref", "show", str(theirs.pk))
    assert result.exit_code == 2 and f"No reference has the id {theirs.pk}" in result.output
    assert "Dana Smith" not in result.output
    shown = json.loads(run("ref", "show", "Dana", "--json").stdout)
    assert shown["id"] == mine.pk
    assert run("ref", "rm", str(theirs.pk), "--yes").exit_code == 2
    assert run("ref", "edit", str(theirs.pk), "--notes", "x").exit_code == 2
    theirs.refresh_from_db()
    assert theirs.notes == ""


def test_unknown_name_exits_2(run, alice):
    result = run("ref", "show", "Nobody")
    assert result.exit_code == 2
    assert error_lines(result) == ["Error: No reference matches 'Nobody'."]


def test_ambiguous_name_exits_2_listing_the_candidates(run, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    daniel = make_reference(alice, name="Daniel Ortiz")
    result = run("ref", "show", "Dan")
    assert result.exit_code == 2
    assert "matches several references" in result.output
    assert f"{dana.pk}: Dana Whitfield" in result.output and f"{daniel.pk}: Daniel Ortiz" in result.output


def test_an_exact_name_wins_over_longer_matches(run, alice):
    make_reference(alice, name="Sam Lee")
    make_reference(alice, name="Sam Leeds")
    assert json.loads(run("ref", "show", "sam lee", "--json").stdout)["name"] == "Sam Lee"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email"], "--email: “not-an-email” is not a valid email address."),
        (["--phone", "call me"], "--phone: “call me” is not a phone number"),
        (["--known-since", "last spring"], "'last spring' is not a date"),
    ],
)
def test_bad_input_to_ref_add_is_one_line_and_saves_nothing(run, alice, args, message):
    result = run("ref", "add", "Dana Whitfield", *args)
    assert result.exit_code in (1, 2)
    [line] = error_lines(result)
    assert message in line
    assert not Reference.objects.for_user(alice).exists()


def test_a_bad_choice_is_one_line(run, alice):
    result = run("ref", "add", "Dana", "--relationship", "cousin")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "'cousin' is not one of" in line


def test_a_failed_edit_changes_nothing(run, alice):
    dana = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    result = run("ref", "edit", "Dana", "--email", "broken", "--title", "CEO")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "--email" in line
    dana.refresh_from_db()
    assert dana.emails == ["dana@example.com"] and dana.title == "Engineering Manager"


def _ago(days):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(days=days)
