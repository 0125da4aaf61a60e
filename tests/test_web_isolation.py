"""Another candidate's object ids lead nowhere: every object URL answers 404.

The table below drives the tests. A new URL that names an object gets one row
here; test_every_object_url_is_in_the_table fails until it does.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event
from goodword.transfer.models import ImportUpload
from goodword.webhooks.models import Delivery, Endpoint
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event
from tests.factories.sheets import make_letter
from tests.factories.webhooks import make_endpoint

TODAY = dt.date.today().isoformat()

# url name -> (which of alice's objects it names, what bob posts)
OBJECT_URLS = {
    "references:detail": ("reference", {}),
    "references:edit": ("reference", {"name": "Taken over", "relationship": "peer", "status": "active"}),
    "references:delete": ("reference", {}),
    "timeline:log": ("reference", {"kind": "call", "note": "bob was here"}),
    "timeline:older": ("reference", {}),
    "timeline:log_form": ("reference", {}),
    "timeline:delete": ("event", {}),
    "opportunities:detail": ("opportunity", {}),
    "opportunities:edit": ("opportunity", {"company": "Bobco", "role": "Spy", "references_wanted": 3}),
    "opportunities:delete": ("opportunity", {}),
    "opportunities:stage": ("opportunity", {"stage": "offer", "changed_on": TODAY}),
    "opportunities:interview_create": ("opportunity", {"when": "2026-01-05T10:00", "format": "video"}),
    "opportunities:interview_edit": ("interview", {"when": "2026-01-05T10:00", "format": "phone"}),
    "opportunities:interview_delete": ("interview", {}),
    "opportunities:slate_add": ("opportunity", {"reference": "BOBS_REFERENCE"}),
    "opportunities:slate_remove": ("listing", {}),
    "opportunities:slate_move": ("listing", {"direction": "down"}),
    "opportunities:slate_log": ("listing", {"kind": "heads_up"}),
    "sheets:sheet": ("opportunity", {"action": "issue", "employer": "Bobco", "days": 30}),
    "sheets:print": ("opportunity", {}),
    "sheets:pdf": ("opportunity", {}),
    "sheets:docx": ("opportunity", {}),
    "sheets:letter": ("letter", {}),
    "sheets:standing": ("reference", {"action": "issue"}),
    "opportunities:builder": ("opportunity", {}),
    "opportunities:requirements": ("opportunity", {"requirements": "Spy work"}),
    "opportunities:fetch_posting": ("opportunity", {}),
    "opportunities:apply_suggestion": ("opportunity", {"ref": "BOBS_REFERENCE"}),
    "transfer:preview": ("import_upload", {"include": ["1"]}),
    "transfer:mapping": ("import_upload", {"column-0": "name"}),
    "transfer:cancel": ("import_upload", {}),
    "webhooks:endpoint": ("webhook", {}),
    "webhooks:remove": ("webhook", {}),
    "webhooks:active": ("webhook", {"active": "0"}),
    "webhooks:test": ("webhook", {}),
}
NAMESPACES = {"references", "opportunities", "timeline", "sheets", "transfer", "webhooks"}


@pytest.fixture
def alices_world(alice):
    reference = make_reference(alice, name="Dana Whitfield")
    second = make_reference(alice, name="Sam Okafor")
    opportunity = make_opportunity(alice, stage="interviewing")
    return {
        "reference": reference,
        "opportunity": opportunity,
        "interview": make_interview(opportunity),
        "listing": make_listing(opportunity, reference),
        "second_listing": make_listing(opportunity, second),
        "event": make_event(reference, "heads_up", opportunity=opportunity, note="Told her about the panel"),
        "letter": make_letter(make_listing(opportunity, make_reference(alice, name="Letter Writer"))),
        "import_upload": ImportUpload.objects.create(owner=alice, filename="people.csv", format="csv",
                                                     data=b"name,email\nAda Byron,ada@example.com\n"),
        "webhook": make_endpoint(alice, "https://hooks.example.org/alice")[0],
    }


def snapshot(user):
    """Everything of a user's that an action could change."""
    return {
        "references": [r.as_dict() for r in Reference.objects.for_user(user).order_by("pk")],
        "opportunities": [o.as_dict() for o in Opportunity.objects.for_user(user).order_by("pk")],
        "stages": list(StageChange.objects.for_user(user).order_by("pk").values_list("stage", "changed_on", "note")),
        "interviews": [i.as_dict() for i in Interview.objects.for_user(user).order_by("pk")],
        "listings": list(
            Listing.objects.for_user(user).order_by("pk").values_list("reference_id", "opportunity_id", "position")
        ),
        "events": [e.as_dict() for e in Event.objects.for_user(user).order_by("pk")],
        "webhooks": list(Endpoint.objects.for_user(user).order_by("pk").values_list("url", "kinds", "active")),
        "webhook_deliveries": Delivery.objects.for_user(user).count(),
    }


def object_url_names():
    """Every URL in our namespaces that takes an object id."""
    names = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace in NAMESPACES and "pk" in entry.pattern.converters:
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_object_url_is_in_the_table():
    assert object_url_names() == set(OBJECT_URLS)


@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("method", ["get", "post", "post_htmx"])
def test_another_users_object_is_not_found(url_name, method, alices_world, alice, bob, client):
    kind, data = OBJECT_URLS[url_name]
    url = reverse(url_name, args=[alices_world[kind].pk])
    if data.get("reference") == "BOBS_REFERENCE":
        data = {"reference": make_reference(bob).pk}
    if data.get("ref") == "BOBS_REFERENCE":
        data = {"ref": make_reference(bob).pk}
    before = snapshot(alice)
    client.force_login(bob)

    if method == "get":
        response = client.get(url)
    else:
        headers = {"HX-Request": "true"} if method == "post_htmx" else {}
        response = client.post(url, data, headers=headers)

    assert response.status_code == 404
    assert snapshot(alice) == before


@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
def test_the_owner_reaches_every_object_url(url_name, alices_world, alice_client):
    # The same table, from alice's side: the 404s above are about ownership, not typos.
    kind, _ = OBJECT_URLS[url_name]
    response = alice_client.get(reverse(url_name, args=[alices_world[kind].pk]))
    assert response.status_code in (200, 405)


def test_the_event_form_refuses_another_users_opportunity(alices_world, bob, bob_client):
    reference = make_reference(bob)
    response = bob_client.post(
        reverse("timeline:log", args=[reference.pk]),
        {"kind": "call", "opportunity": alices_world["opportunity"].pk},
    )
    assert "opportunity" in response.context["event_form"].errors
    assert not Event.objects.filter(owner=bob).exists()


def test_the_event_form_offers_only_the_users_own_opportunities(alices_world, bob, bob_client):
    reference = make_reference(bob)
    make_opportunity(bob, company="Bob's Bakery", role="Baker")
    html = bob_client.get(reverse("timeline:log_form", args=[reference.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "Baker at Bob&#x27;s Bakery" in html
    assert "Northwind" not in html


def test_the_slate_refuses_another_users_reference(alices_world, bob, bob_client):
    opportunity = make_opportunity(bob)
    response = bob_client.post(
        reverse("opportunities:slate_add", args=[opportunity.pk]), {"reference": alices_world["reference"].pk}
    )
    assert "reference" in response.context["slate_form"].errors
    assert not Listing.objects.filter(opportunity=opportunity).exists()


def test_the_slate_offers_only_the_users_own_usable_references(alices_world, bob, bob_client):
    opportunity = make_opportunity(bob)
    make_reference(bob, name="Bob's Manager")
    make_reference(bob, name="Burnt Bridge", status="do_not_use")
    html = bob_client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Bob&#x27;s Manager" in html
    assert "Burnt Bridge" not in html
    assert "Dana Whitfield" not in html


def test_lists_and_home_show_only_the_users_own_data(alices_world, bob, bob_client):
    make_reference(bob, name="Bob's Manager")
    for url in ["core:home", "references:list", "opportunities:list"]:
        html = bob_client.get(reverse(url)).content.decode()
        assert "Dana Whitfield" not in html
        assert "Northwind" not in html
        assert "Told her about the panel" not in html


def test_anonymous_visitors_are_sent_to_sign_in(alices_world, client):
    for url in [
        reverse("core:home"),
        reverse("references:list"),
        reverse("references:detail", args=[alices_world["reference"].pk]),
        reverse("opportunities:detail", args=[alices_world["opportunity"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("timeline:log", args=[alices_world["reference"].pk]), {"kind": "call"})
    assert response.status_code == 302
    assert Event.objects.count() == 1



def test_stage_counts_on_the_pipeline_are_the_users_own(alice, bob, bob_client):
    for n in range(3):
        make_opportunity(alice, company=f"Alice Co {n}", stage="rejected")
    make_opportunity(bob, company="Bob Co", stage="rejected")
    html = bob_client.get(reverse("opportunities:list")).content.decode()
    assert '<span class="count">1</span>' in html and "Alice Co" not in html
