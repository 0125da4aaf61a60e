"""`goodword slate suggest JOB [--n N] [--json] [--apply]` against the real database, acting as alice."""

import json

from goodword.opportunities.models import Listing
from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

POSTING = "- Running Kafka in production\n- Terraform at scale\n- Mentoring junior engineers\n"


def small_book(alice):
    make_reference(alice, name="Dana Whitfield", relationship="manager", organisation="Northwind",
                   vouches_for=["Kafka"])
    make_reference(alice, name="Priya Raman", relationship="peer", organisation="Acme", vouches_for=["Terraform"])
    make_reference(alice, name="Zed Cole", relationship="peer", organisation="Gamma", vouches_for=["mentoring"],
                   status="do_not_use")
    make_reference(alice, name="Hal Moreno", relationship="hr_verifier", organisation="Northwind", vouches_for=[])


def test_suggest_prints_each_choice_with_reasons_gaps_and_skips(run, alice):
    small_book(alice)
    job = make_opportunity(alice, company="Northwind", posting_text=POSTING)
    result = run("slate", "suggest", "Northwind")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Suggested slate for Platform Engineer at Northwind (id {job.pk}): 3 wanted, 4 offered"
    assert lines[1].startswith("  1. Dana Whitfield (id ") and "covers Kafka; your manager at Northwind" in lines[1]
    assert "  Not covered: Mentoring junior engineers" in lines
    assert any(line.startswith("Employment verifier: Hal Moreno") for line in lines)
    assert "Zed Cole" not in result.output
    assert lines[-1] == f"List them: goodword slate suggest {job.pk} --apply"
    assert not Listing.objects.exists()


def test_suggest_json_follows_the_documented_shape_and_n_overrides_the_count(run, alice):
    small_book(alice)
    make_opportunity(alice, company="Northwind", posting_text=POSTING)
    result = run("slate", "suggest", "Northwind", "--n", "1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["wanted"], data["offered"]) == (1, 2)
    assert [row["name"] for row in data["suggestions"]] == ["Dana Whitfield", "Priya Raman"]
    assert data["suggestions"][1]["extra"] is True
    assert data["uncovered"] == ["Mentoring junior engineers"]
    assert data["skills"] == ["Kafka", "Terraform"]
    assert data["employment_verifier"]["name"] == "Hal Moreno"
    assert data["applied"] == []


def test_suggest_apply_lists_them_in_order_and_says_whom_to_ask(run, alice):
    small_book(alice)
    job = make_opportunity(alice, company="Northwind", posting_text=POSTING)
    result = run("slate", "suggest", "Northwind", "--apply")
    assert result.exit_code == 0, result.output
    assert list(Listing.objects.filter(opportunity=job).values_list("reference__name", flat=True)) == [
        "Dana Whitfield", "Priya Raman"]
    assert "Listed Dana Whitfield, Priya Raman on the slate, in this order." in result.output
    assert "Ask Dana Whitfield: goodword draft permission --ref" in result.output


def test_suggest_on_an_empty_book_says_so(run, alice):
    make_opportunity(alice, company="Northwind")
    result = run("slate", "suggest", "Northwind")
    assert result.exit_code == 0, result.output
    assert "The posting names no requirements yet" in result.output
    assert "Note: Nobody in your book can be suggested for this one yet." in result.output


def test_suggest_refuses_a_count_out_of_range(run, alice):
    make_opportunity(alice, company="Northwind")
    result = run("slate", "suggest", "Northwind", "--n", "0")
    assert result.exit_code == 2
    assert "--n" in result.output


def test_ref_options_record_and_clear_availability(run, alice):
    from goodword.references.models import Reference

    make_reference(alice, name="Dana Whitfield")
    result = run("ref", "edit", "Dana", "--away-until", "2099-05-03", "--max-calls", "2")
    assert result.exit_code == 0, result.output
    assert "Availability: Away until 3 May 2099; at most 2 calls a month" in run("ref", "show", "Dana").output
    dana = Reference.objects.get(name="Dana Whitfield")
    assert (str(dana.away_until), dana.max_calls_a_month) == ("2099-05-03", 2)
    assert run("ref", "edit", "Dana", "--away-until", "", "--max-calls", "0").exit_code == 0
    dana.refresh_from_db()
    assert (dana.away_until, dana.max_calls_a_month) == (None, None)
    refused = run("ref", "edit", "Dana", "--max-calls", "31")
    assert refused.exit_code == 2 and "--max-calls" in refused.output
