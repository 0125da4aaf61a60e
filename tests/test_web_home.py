"""The home page: open opportunities with their stage, the reference count, the latest events."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def test_home_shows_open_opportunities_with_their_stage(alice, alice_client):
    make_opportunity(alice, company="Globex", role="Staff Engineer", stage="references_requested")
    make_opportunity(alice, company="Umbrella", role="Closed Role", stage="rejected")
    html = alice_client.get(reverse("core:home")).content.decode()
    assert "Staff Engineer" in html
    assert "References requested" in html
    assert "Closed Role" not in html


def test_home_counts_references_by_status(alice, alice_client):
    for _ in range(3):
        make_reference(alice)
    make_reference(alice, status="resting")
    html = alice_client.get(reverse("core:home")).content.decode()
    assert "4 references" in html
    assert "3 active" in html
    assert "1 resting" in html


def test_home_shows_the_ten_latest_events_newest_first(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield")
    now = timezone.now()
    for day in range(12):
        make_event(reference, "call", occurred_at=now - dt.timedelta(days=day), note=f"Call number {day:02}")
    html = alice_client.get(reverse("core:home")).content.decode()
    assert html.index("Call number 00") < html.index("Call number 09")
    assert "Call number 10" not in html


def test_a_new_user_sees_where_to_start(alice_client):
    html = alice_client.get(reverse("core:home")).content.decode()
    assert "No open opportunities" in html
    assert "Nothing logged yet" in html
    assert reverse("references:create") in html
    assert reverse("opportunities:create") in html


def test_the_sign_in_pages_still_render(db, client):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.get(reverse("accounts:token_login", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "no longer works" in response.content.decode()


def test_dashboard_lists_the_latest_open_opportunities_and_links_to_the_rest(alice, alice_client):
    for number in range(14):
        make_opportunity(alice, company=f"Company {number:02}", stage="applied")
    html = alice_client.get(reverse("core:home")).content.decode()
    assert html.count('class="stage stage-applied"') == 12
    assert "All open opportunities" in html


def test_the_slate_column_says_how_many_are_listed_and_wanted(alice, alice_client):
    from tests.factories.opportunities import make_listing

    wanted = make_opportunity(alice, company="Globex", references_wanted=3)
    unsaid = make_opportunity(alice, company="Initech", references_wanted=None)  # None: the employer has not said
    for job in (wanted, unsaid):
        make_listing(job, make_reference(alice, name=f"Ref at {job.company}"))
    for url in (reverse("core:home"), reverse("opportunities:list")):
        html = alice_client.get(url).content.decode()
        assert "<td>1 listed, 3 wanted</td>" in html and "<td>1 listed</td>" in html
        assert " of 0" not in html
