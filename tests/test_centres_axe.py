"""The centre's pages pass axe-core without a serious or critical violation:
the coach's (cohort, candidate, reference, opportunity), the admin's (members,
audit log) and the candidate's (dashboard nudge, settings section, looks, leave)."""

import pytest
from django.urls import reverse

from goodword.accounts.services import local_user
from goodword.centres import services
from goodword.core.demo import load_demo
from goodword.opportunities.models import Opportunity
from goodword.references.models import Reference
from tests.factories.accounts import give_name, make_user, sign_in_browser
from tests.factories.centres import make_centre, make_coach_of
from tests.test_slates_axe import blocking_violations

pytestmark = pytest.mark.browser


def test_centre_pages_have_no_serious_or_critical_axe_violation(page, live_server, transactional_db):
    me = give_name(local_user())
    centre = make_centre(organisation="Northfield University")
    sam = make_user("sam")
    load_demo(sam)
    sams = services.add_member(centre, sam, "candidate")
    services.add_member(centre, me, "admin")
    coach = services.add_member(centre, me, "coach")
    services.assign(sams, coach)
    # I am also a candidate (coached by carol), so my dashboard and settings show the centre's parts.
    mine = services.add_member(make_centre("Elsewhere"), me, "candidate")
    carol = make_coach_of(mine.centre, "carol", mine).user
    services.nudge(carol, mine, "Dana hasn't heard from you")
    services.record_access(carol, mine, "overview")
    services.invite(centre, "waiting@example.com", "candidate", me)
    dana = Reference.objects.for_user(sam).get(name="Dana Whitfield")
    northwind = Opportunity.objects.for_user(sam).get(company="Northwind Traders")
    pages = [
        reverse("centres:cohort"), reverse("centres:candidate", args=[sams.pk]),
        reverse("centres:reference", args=[sams.pk, dana.pk]),
        reverse("centres:opportunity", args=[sams.pk, northwind.pk]),
        reverse("centres:admin", args=[centre.slug]), reverse("centres:audit", args=[centre.slug]),
        reverse("core:home"), reverse("core:settings"), reverse("centres:looks"), reverse("centres:leave"),
    ]
    sign_in_browser(page, live_server)
    found = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found[path] = blocking_violations(page)
        if path == reverse("core:home"):
            assert "From your coach" in page.content()  # the nudge's panel was checked too
        if path == reverse("core:settings"):
            assert "Who looked at your data" in page.content()
    problems = {path: items for path, items in found.items() if items}
    assert not problems, "\n".join(f"{path}: {items}" for path, items in problems.items())
