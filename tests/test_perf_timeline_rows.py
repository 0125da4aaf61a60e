"""A reference's timeline items, an opportunity's events and the dashboard's are rendered in Python (rows.py)
for speed: byte for byte what the template they replaced rendered."""

import datetime as dt

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from goodword.timeline.models import Event
from goodword.timeline.rows import opportunity_events, recent_events, timeline_items
from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db

# references/detail.html's timeline items as a template, before goodword/timeline/rows.py.
TEMPLATE = """{% for event in events %}
    <li class="timeline-item{% if event == logged %} timeline-new{% endif %}">
      <p class="timeline-head">
        <span class="event-kind">{{ event.get_kind_display }}</span>
        {% if event.channel %}<span class="muted">· {{ event.get_channel_display }}</span>{% endif %}
        {% if event.opportunity %}· <a href="{{ event.opportunity.get_absolute_url }}"><bdi>{{ event.opportunity }}</bdi></a>{% endif %}
        <time class="muted" datetime="{{ event.occurred_at|date:'c' }}">{{ event.occurred_at|date:"j M Y, H:i" }}</time>
        <a class="small-link" href="{% url 'timeline:delete' event.pk %}">Delete<span class="visually-hidden"> this event</span></a>
      </p>
      {% if event.note %}{% include "timeline/includes/note.html" %}{% endif %}
    </li>{% endfor %}"""

NOTES = [
    "",
    "Short & <sweet>",
    "Two\nlines",
    "One\n\nTwo\nThree\r\nFour <b>bold</b>",
    "x" * 400,
    "  padded  \n  ",
    "Quote \"this\" and 'that' — ünïcode",
]


def make_events(alice):
    dana = make_reference(alice, name="Dana <Whitfield>")
    job = make_opportunity(alice, company="Acme & Sons", role="<Engineer>")
    moment = timezone.now().replace(microsecond=123456)
    events = []
    for i, note in enumerate(NOTES):
        events.append(Event.objects.create(
            owner=alice, reference=dana, kind=["note", "asked", "agreed", "thanked"][i % 4],
            channel=["", "email", "phone"][i % 3], opportunity=job if i % 2 else None, note=note,
            occurred_at=moment - dt.timedelta(days=i * 40, minutes=i)))
    return dana, list(Event.objects.filter(reference=dana).select_related("opportunity"))


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Chatham", "America/St_Johns"])
def test_the_timeline_items_match_the_template_byte_for_byte(alice, zone):
    _dana, events = make_events(alice)
    template = engines["django"].from_string(TEMPLATE)
    with timezone.override(zone):
        for logged in (None, events[2]):
            expected = template.render({"events": events, "logged": logged})
            assert timeline_items(events, logged) == expected


def test_the_reference_page_shows_its_timeline_items_as_before(alice, alice_client):
    dana, events = make_events(alice)
    page = alice_client.get(reverse("references:detail", args=[dana.pk])).content.decode()
    expected = engines["django"].from_string(TEMPLATE).render({"events": events[:20], "logged": None})
    assert expected in page


# opportunities/detail.html's events, before goodword/timeline/rows.py.
OPPORTUNITY_TEMPLATE = """{% for event in events %}
    <li class="timeline-item">
      <p class="timeline-head">
        <span class="event-kind">{{ event.get_kind_display }}</span>
        · <a href="{{ event.reference.get_absolute_url }}"><bdi>{{ event.reference.name }}</bdi></a>
        {% if event.channel %}<span class="muted">· {{ event.get_channel_display }}</span>{% endif %}
        <time class="muted" datetime="{{ event.occurred_at|date:'c' }}">{{ event.occurred_at|date:"j M Y, H:i" }}</time>
      </p>
      {% if event.note %}{% include "timeline/includes/note.html" %}{% endif %}
    </li>
    {% endfor %}"""


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kathmandu"])
def test_an_opportunitys_events_match_the_template_byte_for_byte(alice, zone):
    dana, _events = make_events(alice)
    events = list(Event.objects.filter(reference=dana).select_related("reference"))
    with timezone.override(zone):
        assert opportunity_events(events) == engines["django"].from_string(OPPORTUNITY_TEMPLATE).render(
            {"events": events})


def test_an_opportunitys_page_shows_its_events_as_before(alice, alice_client):
    dana, _events = make_events(alice)
    job = Event.objects.filter(reference=dana).exclude(opportunity=None).first().opportunity
    events = list(Event.objects.filter(opportunity=job).select_related("reference"))
    page = alice_client.get(reverse("opportunities:detail", args=[job.pk])).content.decode()
    expected = engines["django"].from_string(OPPORTUNITY_TEMPLATE).render({"events": events})
    assert len(events) == 3 and '<ol class="timeline">\n    ' + expected + "\n  </ol>" in page


# core/home.html's latest events, before goodword/timeline/rows.py.
RECENT_TEMPLATE = """{% for event in recent_events %}
      <li class="timeline-item">
        <p class="timeline-head">
          <span class="event-kind">{{ event.get_kind_display }}</span>
          · <a href="{{ event.reference.get_absolute_url }}"><bdi>{{ event.reference.name }}</bdi></a>
          {% if event.opportunity %}· <a href="{{ event.opportunity.get_absolute_url }}"><bdi>{{ event.opportunity }}</bdi></a>{% endif %}
          <time class="muted" datetime="{{ event.occurred_at|date:'c' }}">{{ event.occurred_at|date:"j M Y, H:i" }}</time>
        </p>
        {% if event.note %}<p class="note" dir="auto">{{ event.note|truncatechars:200 }}</p>{% endif %}
      </li>
      {% endfor %}"""


@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns"])
def test_the_dashboards_latest_events_match_the_template_byte_for_byte(alice, alice_client, zone):
    make_events(alice)
    events = list(Event.objects.filter(owner=alice).select_related("reference", "opportunity")[:10])
    with timezone.override(zone):
        assert recent_events(events) == engines["django"].from_string(RECENT_TEMPLATE).render(
            {"recent_events": events})
    page = alice_client.get("/").content.decode()
    expected = engines["django"].from_string(RECENT_TEMPLATE).render({"recent_events": events})
    assert '<ol class="timeline">\n      ' + expected + "\n    </ol>" in page
