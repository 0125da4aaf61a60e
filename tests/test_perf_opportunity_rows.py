"""The pipeline's and the dashboard's opportunity rows are rendered in Python
(goodword/opportunities/rows.py) for speed: byte for byte what the templates
they replaced rendered, on the pages themselves too."""

import pytest
from django.template import engines
from django.urls import reverse

from goodword.opportunities.models import Opportunity
from goodword.opportunities.rows import open_rows, pipeline_rows
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db

PIPELINE_TEMPLATE = """{% load opportunities %}{% for opportunity in group.opportunities %}
      <tr>
        <th scope="row"><a href="{{ opportunity.get_absolute_url }}" dir="auto">{{ opportunity.role }}</a></th>
        <td dir="auto">{{ opportunity.company }}</td>
        <td>{{ opportunity.stage_since|date:"j M Y" }}</td>
        <td>{{ opportunity|slate_count:opportunity.slate_size }}</td>
      </tr>
    {% endfor %}"""

OPEN_TEMPLATE = """{% load opportunities %}{% for opportunity in open_opportunities %}
        <tr>
          <th scope="row"><a href="{{ opportunity.get_absolute_url }}" dir="auto">{{ opportunity.role }}</a>
            <span class="muted" dir="auto">{{ opportunity.company }}</span></th>
          <td><span class="stage stage-{{ opportunity.stage }}">{{ opportunity.stage_label }}</span>
            {% if opportunity.stage_since %}<span class="muted">since {{ opportunity.stage_since|date:"j M Y" }}</span>{% endif %}</td>
          <td>{{ opportunity|slate_count:opportunity.slate_size }}</td>
        </tr>
      {% endfor %}"""


@pytest.fixture
def pipeline(alice):
    dana, sam = make_reference(alice, name="Dana"), make_reference(alice, name="Sam")
    jobs = [
        make_opportunity(alice, company="Acme & <Sons>", role="Data \"Engineer\"", stage="applied", references_wanted=3),
        make_opportunity(alice, company="Globex", role="Analyst", stage="interviewing"),
        make_opportunity(alice, company="Initech", role="Dev", stage="references_requested", references_wanted=1),
    ]
    make_listing(jobs[0], dana)
    make_listing(jobs[0], sam)
    make_listing(jobs[2], dana)
    return jobs


def annotated(alice):
    from django.db.models import Count

    return list(Opportunity.objects.for_user(alice).annotate(slate_size=Count("listings")).order_by("id"))


def test_the_rows_match_the_templates_byte_for_byte(alice, pipeline):
    opportunities = annotated(alice)
    opportunities[1].stage_since = None  # a stage without a date still renders
    engine = engines["django"]
    assert pipeline_rows(opportunities) == engine.from_string(PIPELINE_TEMPLATE).render(
        {"group": {"opportunities": opportunities}})
    assert open_rows(opportunities) == engine.from_string(OPEN_TEMPLATE).render({"open_opportunities": opportunities})


def test_the_pipeline_and_the_dashboard_show_the_same_rows_as_before(alice, alice_client, pipeline):
    page = alice_client.get(reverse("opportunities:list")).content.decode()
    engine = engines["django"]
    for job in annotated(alice):
        expected = engine.from_string(PIPELINE_TEMPLATE).render({"group": {"opportunities": [job]}})
        assert "<tbody>\n    " + expected + "\n    </tbody>" in page
    page = alice_client.get("/").content.decode()
    # The dashboard: newest stage first.
    shown = sorted(annotated(alice), key=lambda job: (job.stage_since, job.id), reverse=True)
    expected = engine.from_string(OPEN_TEMPLATE).render({"open_opportunities": shown})
    assert "<tbody>\n      " + expected + "\n      </tbody>" in page


@pytest.mark.parametrize("selected", ["heads_up", "thanked", "", None, "phone", "<nope>"])
def test_a_slate_rows_menus_match_the_template_byte_for_byte(selected):
    from goodword.opportunities.forms import SLATE_LOG_KINDS, SlateLogForm

    engine = engines["django"]
    loop = engine.from_string('{% for value, label in choices %}<option value="{{ value }}"{% if value == selected %}'
                              ' selected{% endif %}>{{ label }}</option>{% endfor %}')
    tag = engine.from_string("{% load opportunities %}{% options choices selected %}")
    odd = [("a&b", "<A & B>"), ("x", "Quote \"x\"")]
    for choices in (SLATE_LOG_KINDS, SlateLogForm.base_fields["channel"].choices, odd):
        context = {"choices": choices, "selected": selected}
        assert tag.render(context) == loop.render(context)


def test_the_slate_shows_each_rows_menus_with_its_choice(alice, alice_client, pipeline):
    page = alice_client.get(pipeline[0].get_absolute_url()).content.decode()
    assert page.count('<option value="agreed" selected>They agreed</option>') == 2  # both listed, neither asked yet


def test_the_slate_rows_link_where_reverse_says(alice, alice_client, pipeline):
    page = alice_client.get(pipeline[0].get_absolute_url()).content.decode()
    for listing in pipeline[0].listings.all():
        for name in ("opportunities:slate_log", "opportunities:slate_move", "opportunities:slate_remove", "portal:manage"):
            assert f'"{reverse(name, args=[listing.pk])}"' in page, name
