"""The paged timeline in Chromium: "Older events" appends the next page in
place, and a long note opens from its first lines."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from goodword.references.views import TIMELINE_PAGE
from goodword.timeline.models import Event
from tests.factories.accounts import sign_in_browser
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser


def test_older_events_load_in_place_and_long_notes_open(page, live_server, transactional_db):
    sign_in_browser(page, live_server)
    dana = make_reference(local_user(), name="Dana Whitfield")
    now = timezone.now()
    Event.objects.bulk_create([
        Event(owner=dana.owner, reference=dana, kind="note", note=f"Event number {i}",
              occurred_at=now - dt.timedelta(hours=i + 1))
        for i in range(TIMELINE_PAGE + 4)
    ])
    Event.objects.create(owner=dana.owner, reference=dana, kind="call", occurred_at=now,
                         note="Long call about the Northwind role.\nSecond line.\n" + "All the detail. " * 60)

    page.goto(live_server.url + dana.get_absolute_url())
    items = page.locator("#timeline-events > li")
    expect(items).to_have_count(TIMELINE_PAGE)
    note = page.locator("details.note-long")
    expect(note.locator("summary")).to_contain_text("Long call about the Northwind role. / Second line.")
    expect(note.get_by_text("All the detail.", exact=False).first).to_be_hidden()
    note.locator("summary").click()
    expect(note.get_by_text("All the detail.", exact=False).first).to_be_visible()

    page.get_by_role("link", name="Older events").click()
    expect(items).to_have_count(TIMELINE_PAGE + 5)
    expect(page).to_have_url(live_server.url + dana.get_absolute_url())  # appended in place, no navigation
    expect(page.get_by_role("link", name="Older events")).to_have_count(0)
