"""A reference's page costs the same whatever their history: the timeline is
paged (newest first, "Older events" loads more), long notes are collapsed, and
the log form lists only the opportunities an event can still be about."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.references.views import TIMELINE_PAGE
from goodword.timeline.models import Event
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


def add_events(reference, count, *, start=0):
    now = timezone.now()
    Event.objects.bulk_create([
        Event(owner=reference.owner, reference=reference, kind="note", note=f"Event number {start + i}",
              occurred_at=now - dt.timedelta(hours=start + i))
        for i in range(count)
    ])


def shown_numbers(html):
    return [int(n) for n in re.findall(r"Event number (\d+)", html)]


@pytest.mark.parametrize("history", [3, 300])
def test_the_reference_page_costs_the_same_queries_whatever_the_history(
        alice, alice_client, django_assert_max_num_queries, history):
    dana = make_reference(alice, name="Dana Whitfield")
    add_events(dana, history)
    for i in range(history // 10):
        make_opportunity(alice, company=f"Closed {i}", stage="rejected")
    alice_client.get(reverse("references:detail", args=[dana.pk]))  # the badge's summary row exists
    with django_assert_max_num_queries(16):
        response = alice_client.get(reverse("references:detail", args=[dana.pk]))
    assert shown_numbers(response.content.decode()) == list(range(min(history, TIMELINE_PAGE)))


def test_the_timeline_shows_the_newest_page_and_older_events_load_after_it(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    add_events(dana, TIMELINE_PAGE * 2 + 5)
    page = alice_client.get(reverse("references:detail", args=[dana.pk])).content.decode()
    assert shown_numbers(page) == list(range(TIMELINE_PAGE))
    older = reverse("timeline:older", args=[dana.pk])
    assert f'hx-get="{older}?start={TIMELINE_PAGE}"' in page

    more = alice_client.get(older, {"start": TIMELINE_PAGE}, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-swap-oob="beforeend:#timeline-events"' in more
    assert shown_numbers(more) == list(range(TIMELINE_PAGE, TIMELINE_PAGE * 2))
    last = alice_client.get(older, {"start": TIMELINE_PAGE * 2}, HTTP_HX_REQUEST="true").content.decode()
    assert shown_numbers(last) == list(range(TIMELINE_PAGE * 2, TIMELINE_PAGE * 2 + 5))
    assert "Older events" not in last


def test_without_javascript_the_older_link_opens_the_next_page(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    add_events(dana, TIMELINE_PAGE + 3)
    url = reverse("references:detail", args=[dana.pk])
    page = alice_client.get(url).content.decode()
    assert f'href="{url}?older={TIMELINE_PAGE}#timeline"' in page
    older = alice_client.get(url, {"older": TIMELINE_PAGE}).content.decode()
    assert shown_numbers(older) == list(range(TIMELINE_PAGE, TIMELINE_PAGE + 3))
    assert "Newer events" in older
    assert alice_client.get(url, {"older": "junk"}).status_code == 200


def test_another_users_timeline_is_not_found(alice, bob_client):
    dana = make_reference(alice, name="Dana Whitfield")
    assert bob_client.get(reverse("timeline:older", args=[dana.pk]), HTTP_HX_REQUEST="true").status_code == 404


def test_a_long_note_is_collapsed_to_its_first_lines(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    long_note = "Called about the Northwind role.\nThey asked about the migration.\n" + "More detail. " * 80
    Event.objects.create(owner=alice, reference=dana, kind="call", note=long_note, occurred_at=timezone.now())
    Event.objects.create(owner=alice, reference=dana, kind="note", note="Short one.", occurred_at=timezone.now())
    page = alice_client.get(reverse("references:detail", args=[dana.pk])).content.decode()
    collapsed = re.search(r'<details class="note note-long"><summary>(.*?)</summary>', page, re.S)
    assert collapsed and "Called about the Northwind role. / They asked about the migration." in collapsed.group(1)
    assert "More detail. More detail." in page  # the whole note is still there, inside <details>
    assert '<div class="note" dir="auto">Short one.</div>' in page


def test_the_log_form_offers_open_applications_and_the_references_own(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    open_job = make_opportunity(alice, company="Open Co", stage="applied")
    listed = make_opportunity(alice, company="Landed Co", stage="applied")
    make_listing(listed, dana)
    listed_change = listed.stage_changes.get()
    listed_change.stage = "landed"
    listed_change.save()
    make_opportunity(alice, company="Someone Else Rejected", stage="rejected")
    page = alice_client.get(reverse("timeline:log_form", args=[dana.pk]), headers={"HX-Request": "true"}).content.decode()
    select = re.search(r'<select name="opportunity".*?</select>', page, re.S).group(0)
    assert "Open Co" in select and "Landed Co" in select and "Someone Else Rejected" not in select
    # Any of the user's opportunities is still accepted when posted.
    closed = make_opportunity(alice, company="Old Rejected", stage="rejected")
    alice_client.post(reverse("timeline:log", args=[dana.pk]), {"kind": "note", "opportunity": closed.pk})
    assert Event.objects.filter(reference=dana, opportunity=closed).exists()
    assert open_job.pk


def test_the_pipeline_shows_fewer_of_each_closed_stage_than_of_an_open_one(alice, alice_client):
    from goodword.opportunities.views import CLOSED_SHOWN, GROUP_SHOWN

    for n in range(GROUP_SHOWN + 2):
        make_opportunity(alice, company=f"Applied {n:02d}", stage="applied")
        make_opportunity(alice, company=f"Rejecter {n:02d}", stage="rejected")
    html = alice_client.get(reverse("opportunities:list")).content.decode()
    assert html.count("Applied ") == GROUP_SHOWN and html.count("Rejecter ") == CLOSED_SHOWN < GROUP_SHOWN


def test_the_log_forms_menu_is_read_once_when_drawn_and_not_for_a_post(alice, django_assert_num_queries):
    from goodword.timeline.forms import EventForm

    make_opportunity(alice, company="Globex", role="Analyst")
    with django_assert_num_queries(0):
        form = EventForm({"kind": "call"}, user=alice)
    with django_assert_num_queries(1):
        html = str(form["opportunity"])
    assert "Analyst at Globex" in html
