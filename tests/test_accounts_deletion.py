"""Deleting one's account removes every row it owns, in every table, and nobody else's; sessions end."""

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from goodword.accounts.services import create_invitation, issue_login_token
from goodword.core.demo import load_demo
from goodword.opportunities.models import Listing
from goodword.portal import services as portal_services
from goodword.references.models import Reference
from goodword.reminders import services as reminder_services
from tests.factories.hosted import PASSWORD, hosted, make_account  # noqa: F401
from tests.factories.outreach import make_smtp_settings
from tests.factories.sheets import make_letter


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def a_full_account(settings, email):
    """An account with rows in as many tables as its pages can make: the demo, links, tokens, 2FA, letters
    (rows and files), a session."""
    user = make_account(email)
    load_demo(user)
    settings.GOODWORD_MODE = "local"  # a loopback SMTP server is refused in hosted mode
    make_smtp_settings(user, 2525)
    settings.GOODWORD_MODE = "hosted"
    listing = Listing.objects.for_user(user).first()
    portal_services.issue_link(listing, None)
    make_letter(listing)
    make_letter(listing, confidential=True)
    reminder_services.issue_feed_token(user)
    issue_login_token(user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    client = Client(REMOTE_ADDR="192.0.2.7")
    assert client.post("/accounts/login/", {"login": email, "password": PASSWORD}).status_code == 302
    return user, client


def letter_files(user) -> set[str]:
    from goodword.sheets.models import Letter

    return {letter.file.name for letter in Letter.objects.filter(owner=user)}


def test_deleting_an_account_removes_exactly_its_rows_and_no_one_elses(hosted, django_capture_on_commit_callbacks):
    alice, alice_browser = a_full_account(hosted, "alice@example.org")
    bob, bob_browser = a_full_account(hosted, "bob@example.org")
    create_invitation("carol@example.org", invited_by=alice)
    for browser in (alice_browser, bob_browser):
        browser.get("/")  # the dashboard keeps a derived summary row per account
    bob_references = set(Reference.objects.for_user(bob).values_list("pk", flat=True))
    alice_files, bob_files = letter_files(alice), letter_files(bob)
    before = row_counts()

    # The password is asked again before the page opens.
    asked = alice_browser.get("/accounts/account/delete/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert alice_browser.post(asked["Location"], {"password": PASSWORD})["Location"] == "/accounts/account/delete/"
    page = alice_browser.get("/accounts/account/delete/")
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    refused = alice_browser.post("/accounts/account/delete/", {"email": "bob@example.org"})
    assert refused.status_code == 400 and "nothing was deleted" in refused.content.decode()
    assert row_counts() == before

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the rows are gone for good
        response = alice_browser.post("/accounts/account/delete/", {"email": " Alice@Example.org "})
    assert response.status_code == 200 and "Your account is deleted" in response.content.decode()
    after = row_counts()

    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    # Many tables held alice's rows...
    assert {"auth.User", "account.EmailAddress", "mfa.Authenticator", "usersessions.UserSession",
            "sessions.Session", "references.Reference", "timeline.Event", "opportunities.Opportunity",
            "outreach.SmtpSettings", "portal.PortalLink", "accounts.LoginToken"} <= set(changed)
    # ...and the two accounts were built alike, so every table lost alice's share and kept bob's, equal.
    assert {label: b - a for label, (b, a) in changed.items()} == {label: a for label, (b, a) in changed.items()}
    # The invitation alice sent is the instance's; it stays valid without her.
    assert after["accounts.Invitation"] == before["accounts.Invitation"] == 1
    assert set(Reference.objects.for_user(bob).values_list("pk", flat=True)) == bob_references
    # Her letters' files are gone from the storage, and bob's are all there.
    from django.core.files.storage import default_storage

    assert len(alice_files) == len(bob_files) == 2
    assert not any(default_storage.exists(name) for name in alice_files)
    assert all(default_storage.exists(name) for name in bob_files)

    # Her browser is signed out; bob's is not.
    assert alice_browser.get("/accounts/account/").status_code == 302
    assert bob_browser.get("/accounts/account/").status_code == 200


def test_the_account_page_links_to_the_export_and_deletion(hosted):
    _user, browser = a_full_account(hosted, "casey@example.org")
    page = browser.get("/accounts/account/").content.decode()
    assert 'href="/transfer/export.json"' in page
    assert 'href="/accounts/account/delete/"' in page
    settings_page = browser.get("/settings/").content.decode()
    assert 'href="/accounts/account/"' in settings_page and 'href="/accounts/sessions/"' in settings_page


def test_local_mode_has_no_account_deletion(alice_client):
    assert alice_client.get("/accounts/account/delete/").status_code == 404
    assert alice_client.post("/accounts/account/delete/", {"email": "alice@example.com"}).status_code == 404
