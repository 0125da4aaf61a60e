from django.urls import reverse

from goodword.outreach import drafts
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference


def test_the_name_saved_in_settings_signs_the_drafts(alice, alice_client):
    response = alice_client.post(reverse("core:settings"), {
        "first_name": "Alice", "last_name": "Ng", "email": "alice@example.org",
    }, follow=True)
    assert "Saved your name, email and phone." in response.content.decode()
    alice.refresh_from_db()
    assert alice.get_full_name() == "Alice Ng"
    reference = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice)
    make_listing(job, reference)
    assert "Alice Ng" in drafts.make_draft(alice, "heads_up", reference, job, "formal").body


def test_a_bad_email_in_settings_is_a_field_error_and_changes_nothing(alice, alice_client):
    response = alice_client.post(reverse("core:settings"), {"first_name": "Alice", "last_name": "", "email": "nope"})
    assert "Enter a valid email address." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.last_name, alice.email) == ("Example", "alice@example.com")


def test_settings_page_links_every_settings_area_and_highlights_settings(alice_client):
    html = alice_client.get(reverse("core:settings")).content.decode()
    for name in ("outreach:smtp", "outreach:templates", "reminders:settings", "courtesy:settings"):
        assert f'href="{reverse(name)}"' in html
    assert f'<a href="{reverse("core:settings")}" aria-current="page">' in html
    assert f'<a href="{reverse("core:home")}" aria-current="page">' not in html
