"""Walkthrough leftover: "references wanted" can be "not said", and only then does the builder guess from the role."""

from goodword.opportunities.models import Opportunity
from goodword.opportunities.suggest import suggestion_for
from tests.factories.opportunities import make_opportunity


def test_a_senior_role_whose_opportunity_says_3_gets_3_and_not_said_gets_the_role_default(alice):
    said = make_opportunity(alice, company="Acme", role="Senior Data Engineer", references_wanted=3)
    not_said = make_opportunity(alice, company="Globex", role="Senior Data Engineer", references_wanted=None)
    assert suggestion_for(alice, said).wanted == 3
    assert suggestion_for(alice, not_said).wanted == 4


def test_the_web_form_takes_an_empty_count_as_not_said(alice, alice_client):
    response = alice_client.post("/jobs/new/", {"company": "Acme", "role": "Senior Data Engineer", "stage": "applied",
                                                "references_wanted": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Opportunity.objects.for_user(alice).get(company="Acme")
    assert job.references_wanted is None
    assert "Not said" in alice_client.get(f"/jobs/{job.pk}/").content.decode()
    response = alice_client.post(f"/jobs/{job.pk}/edit/", {"company": "Acme", "role": "Senior Data Engineer",
                                                           "references_wanted": "0"})
    assert response.status_code == 200 and "greater than or equal to 1" in response.content.decode()


def test_the_cli_says_not_said_and_sets_it(run, alice):
    assert run("job", "add", "Acme", "Senior Data Engineer", "--wanted", "3").exit_code == 0
    job = Opportunity.objects.for_user(alice).get(company="Acme")
    assert job.references_wanted == 3
    result = run("job", "edit", "Acme", "--wanted", "not-said")
    assert result.exit_code == 0, result.output
    job.refresh_from_db()
    assert job.references_wanted is None
    assert "References wanted: not said" in run("job", "show", "Acme").output
    assert run("job", "edit", "Acme", "--wanted", "lots").exit_code == 2
