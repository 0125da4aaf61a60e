"""A coach's cohort rows are rendered in Python (goodword/centres/rows.py) for speed: byte for byte
what the template fragment they replaced rendered, on the page itself too."""

import dataclasses
import datetime as dt

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from goodword.centres import services
from goodword.centres.rows import cohort_rows
from tests.factories.accounts import make_user
from tests.factories.centres import make_centre, make_member
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

pytestmark = pytest.mark.django_db

# centres/cohort.html's rows, before goodword/centres/rows.py.
TEMPLATE = """{% for row in rows %}
    <tr>
      <th scope="row"><a href="{% url 'centres:candidate' row.membership.pk %}"><bdi>{{ row.membership.user.get_full_name|default:row.membership.user.email }}</bdi></a>
        {% if not row.fresh %}<span class="muted">{% if row.counted_on %}counted on {{ row.counted_on|date:"j M" }}{% else %}not counted yet{% endif %}</span>{% endif %}</th>
      <td>{{ row.counts.critical }}</td><td>{{ row.counts.high }}</td><td>{{ row.counts.medium }}</td><td>{{ row.counts.low }}</td>
      <td>{% if row.last_logged %}<time datetime="{{ row.last_logged|date:'c' }}">{{ row.last_logged|date:"j M Y" }}</time>{% else %}—{% endif %}</td>
      <td>{% for label, count in row.stages %}{{ count }} {{ label|lower }}{% if not forloop.last %}, {% endif %}{% empty %}none{% endfor %}</td>
    </tr>
  {% endfor %}"""


@pytest.fixture
def cohort():
    """A coach of four candidates: named oddly, nameless, busy, and idle."""
    centre = make_centre()
    coach = make_member(centre, "coach", "coach")
    odd = make_user("odd")
    odd.first_name, odd.last_name = "Zoë <b>&", "O'Brien \"Jr\""
    odd.save()
    busy = make_user("busy")
    for user in (odd, make_user("nameless", named=False), busy, make_user("idle")):
        services.assign(services.add_member(centre, user, "candidate"), coach)
    dana = make_reference(busy, name="Dana")
    for stage in ("applied", "applied", "interviewing", "offer"):
        job = make_opportunity(busy, stage=stage)
        make_listing(job, dana)
    make_event(dana, "call", opportunity=job)
    while any(row.counted_on is None for row in services.cohort(coach.user)):
        pass  # a few first counts a visit
    return coach.user


def variants(rows):
    """The rows as the page has them, and each again with what the page has not got yet."""
    counted_on = dt.date(2026, 11, 30)
    extra = []
    for row in rows:
        extra += [dataclasses.replace(row, fresh=False, counted_on=counted_on),
                  dataclasses.replace(row, fresh=False, counted_on=None),
                  dataclasses.replace(row, counts={"critical": 3, "high": 12, "medium": 1234, "low": 0}),
                  dataclasses.replace(row, last_logged=None, stages=[("Lead & <more>", 2)])]
    return rows + extra


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Chatham", "America/St_Johns"])
def test_the_cohort_rows_match_the_template_byte_for_byte(cohort, zone):
    rows = variants(services.cohort(cohort))
    assert any(row.last_logged for row in rows) and any(row.stages for row in rows)
    with timezone.override(zone):
        assert cohort_rows(rows) == engines["django"].from_string(TEMPLATE).render({"rows": rows})


def test_the_cohort_page_shows_the_same_rows_as_before(cohort):
    from django.test import Client

    client = Client()
    client.force_login(cohort)
    page = client.get(reverse("centres:cohort")).content.decode()
    rows = services.cohort(cohort)
    expected = engines["django"].from_string(TEMPLATE).render({"rows": rows})
    assert len(rows) == 4 and "<tbody>\n  " + expected + "\n  </tbody>" in page
    assert "Zoë &lt;b&gt;&amp; O&#x27;Brien &quot;Jr&quot;" in page and "nameless@example.com" in page
