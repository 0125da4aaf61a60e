"""Issue 9, item 1: a fresh account is asked who it is; nothing is signed "me"."""

import json

import pytest
from django.urls import reverse

from goodword.accounts.models import Profile
from goodword.accounts.services import local_user
from goodword.lib.names import name_problem
from goodword.outreach import drafts
from tests.factories.accounts import make_user
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

PROFILE = reverse("accounts:profile")


@pytest.fixture
def nameless(db):
    return make_user("carol", named=False)


@pytest.fixture
def nameless_client(client, nameless):
    client.force_login(nameless)
    return client


def letter_facts(user):
    dana = make_reference(user, name="Dana Whitfield", emails=["dana@example.com"], title="Engineering Manager")
    job = make_opportunity(user, company="Northwind", role="Platform Engineer", stage="references_requested")
    make_listing(job, dana)
    return dana, job


# --- the web: first sign-in asks -------------------------------------------------

def test_a_signed_in_user_without_a_name_is_asked_who_they_are_then_goes_where_they_were_going(nameless_client, nameless):
    target = reverse("references:list") + "?status=active"
    asked = nameless_client.get(target)
    assert asked.status_code == 302 and asked.url.startswith(PROFILE + "?next=")
    page = nameless_client.get(asked.url).content.decode()
    assert "Tell us who you are" in page
    for field in ('name="first_name"', 'name="last_name"', 'name="email"', 'name="phone"'):
        assert field in page
    assert '<input type="hidden" name="next" value="/references/?status=active">' in page
    done = nameless_client.post(PROFILE, {"first_name": "Carol", "last_name": "Diaz", "email": "carol@example.org",
                                          "phone": "+1 555 0100", "next": target})
    assert done.status_code == 302 and done.url == target
    nameless.refresh_from_db()
    assert (nameless.get_full_name(), nameless.email) == ("Carol Diaz", "carol@example.org")
    assert Profile.objects.for_user(nameless).get().phone == "+1 555 0100"
    assert nameless_client.get(target).status_code == 200


@pytest.mark.parametrize("name", ["me", "", "  ", "x", "Your name", "carol@example.org"])
def test_a_placeholder_name_is_refused_with_what_to_fill_in(nameless_client, nameless, name):
    response = nameless_client.post(PROFILE, {"first_name": name, "last_name": "", "email": "", "phone": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field field-invalid"' in page and "Please check" in page
    assert any(words in page for words in ("placeholder", "missing", "not a name", "This field is required"))
    nameless.refresh_from_db()
    assert nameless.first_name == ""


def test_a_bad_phone_number_is_a_field_error(nameless_client, nameless):
    response = nameless_client.post(PROFILE, {"first_name": "Carol", "last_name": "", "email": "", "phone": "call me"})
    assert response.status_code == 400 and "is not a phone number" in response.content.decode()
    assert not Profile.objects.for_user(nameless).exists()


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_next_address_must_be_one_of_ours(nameless_client, evil):
    done = nameless_client.post(PROFILE, {"first_name": "Carol", "last_name": "Diaz", "email": "", "phone": "",
                                          "next": evil})
    assert done.status_code == 302 and done.url == reverse("core:home")


def test_only_page_loads_are_sent_to_the_question(nameless_client, nameless):
    dana = make_reference(nameless, name="Dana Whitfield")
    assert nameless_client.get(dana.get_absolute_url()).url.startswith(PROFILE)
    # A form posted from a page opened before is not lost to the redirect.
    posted = nameless_client.post(reverse("timeline:log", args=[dana.pk]), {"kind": "note", "note": "Lunch"})
    assert not posted.url.startswith(PROFILE) and dana.events.filter(kind="note").exists()
    assert nameless_client.get(reverse("core:home"), headers={"HX-Request": "true"}).status_code == 200
    # The reference's portal needs no sign-in and never asks the candidate's question.
    assert not nameless_client.get(reverse("portal:page", args=["no-such-token"])).get("Location", "").startswith(PROFILE)


def test_the_settings_page_edits_the_same_profile_with_the_phone(alice_client, alice):
    alice_client.post(reverse("core:settings"), {"first_name": "Alice", "last_name": "Ng", "email": "alice@example.org",
                                                 "phone": "+44 20 7946 0000"})
    assert Profile.objects.for_user(alice).get().phone == "+44 20 7946 0000"
    assert 'value="+44 20 7946 0000"' in alice_client.get(reverse("core:settings")).content.decode()


# --- drafts refuse instead of inventing a name -----------------------------------

def test_a_draft_for_a_nameless_account_refuses_and_says_what_to_fill_in(nameless):
    dana, job = letter_facts(nameless)
    with pytest.raises(drafts.MissingProfile, match="Your name is missing"):
        drafts.make_draft(nameless, "letter", dana, job)


def test_the_local_me_account_never_signs_a_letter_as_me(db):
    me = local_user()
    dana, job = letter_facts(me)
    with pytest.raises(drafts.MissingProfile):
        drafts.make_draft(me, "letter", dana, job, "formal")
    me.first_name = "me"
    me.save()
    with pytest.raises(drafts.MissingProfile, match="placeholder"):
        drafts.make_draft(me, "letter", dana, job, "formal")


def test_the_letter_is_signed_with_the_name_and_gives_the_email_and_phone(alice):
    from goodword.accounts.services import update_profile

    update_profile(alice, first_name="Sam", last_name="Rivera", email="sam@example.org", phone="+1 555 0100")
    dana, job = letter_facts(alice)
    body = drafts.make_draft(alice, "letter", dana, job, "formal").body
    assert "I am glad to recommend Sam Rivera" in body and "recommend me" not in body
    assert body.rstrip().endswith("Sam Rivera\n+1 555 0100\nsam@example.org")


def test_web_compose_shows_the_problem_with_a_link_to_the_profile_page(nameless_client, nameless):
    dana, job = letter_facts(nameless)
    url = reverse("outreach:compose") + f"?kind=letter&ref={dana.pk}&job={job.pk}"
    # A page load is sent to the question first...
    assert nameless_client.get(url).url.startswith(PROFILE)
    # ...and a compose form posted anyway says why there is no draft, with the way to fix it.
    page = nameless_client.post(url, {"subject": "x", "body": "x", "key": "k" * 20, "channel": "email",
                                      "action": "preview"}).content.decode()
    assert "Your name is missing" in page and f'href="{PROFILE}?next=' in page


def test_the_portal_never_shows_a_letter_signed_with_a_placeholder(nameless):
    from goodword.portal import services as portal
    from goodword.portal.models import Share

    _dana, job = letter_facts(nameless)
    link, _token = portal.issue_link(job.listings.get(), [Share.LETTER])
    assert portal.page_content(link)["letter"] == ""


def test_name_problem_accepts_real_names_and_refuses_placeholders():
    assert name_problem("Sam Rivera") is None and name_problem("王伟") is None and name_problem("Zoë O'Neil") is None
    assert name_problem("me") and name_problem("ME") and name_problem("") and name_problem("sam@example.org")


# --- the CLI --------------------------------------------------------------------

@pytest.fixture
def nameless_run(settings, nameless):
    from click.testing import CliRunner

    from goodword.cli import main

    settings.GOODWORD_CLI_USER = "carol"

    def invoke(*args, input=None):
        result = CliRunner().invoke(main, [str(arg) for arg in args], input=input)
        assert "Traceback" not in result.output, result.output
        return result

    return invoke


def test_the_first_command_in_a_terminal_asks_who_you_are(nameless_run, nameless, monkeypatch):
    monkeypatch.setattr("goodword.cli.common.in_terminal", lambda: True)
    result = nameless_run("ref", "list", input="Carol Diaz\ncarol@example.org\n+1 555 0100\n")
    assert result.exit_code == 0, result.output
    assert "Your name" in result.output and "Thank you, Carol" in result.output
    nameless.refresh_from_db()
    assert (nameless.first_name, nameless.last_name, nameless.email) == ("Carol", "Diaz", "carol@example.org")
    assert Profile.objects.for_user(nameless).get().phone == "+1 555 0100"
    # Asked once: the next command just runs.
    assert "Your name" not in nameless_run("ref", "list").output


def test_a_placeholder_typed_at_the_prompt_is_asked_again(nameless_run, nameless, monkeypatch):
    monkeypatch.setattr("goodword.cli.common.in_terminal", lambda: True)
    result = nameless_run("ref", "list", input="me\n\n\nCarol Diaz\n\n\n")
    assert result.exit_code == 0, result.output
    assert "placeholder" in result.output
    nameless.refresh_from_db()
    assert nameless.get_full_name() == "Carol Diaz"


def test_scripts_are_never_asked_and_their_drafts_refuse_with_status_2(nameless_run, nameless):
    dana, job = letter_facts(nameless)
    assert nameless_run("ref", "list").exit_code == 0
    result = nameless_run("draft", "letter", "--ref", dana.pk, "--job", job.pk)
    assert result.exit_code == 2
    assert "Your name is missing" in result.output and "goodword me --name" in result.output
    assert "recommend me" not in result.output


def test_goodword_me_sets_and_shows_the_profile(nameless_run, nameless):
    result = nameless_run("me", "--name", "Carol  Diaz", "--email", "carol@example.org", "--phone", "+1 555 0100")
    assert result.exit_code == 0, result.output
    shown = json.loads(nameless_run("me", "--json").output)
    assert shown == {"name": "Carol Diaz", "first_name": "Carol", "email": "carol@example.org",
                     "phone": "+1 555 0100", "complete": True}
    dana, job = letter_facts(nameless)
    assert "Carol Diaz" in nameless_run("draft", "letter", "--ref", dana.pk, "--job", job.pk).output


def test_goodword_me_refuses_a_placeholder_name(nameless_run):
    result = nameless_run("me", "--name", "me")
    assert result.exit_code == 1 and "--name" in result.output and "placeholder" in result.output


def test_the_demo_brings_a_realistic_candidate(nameless):
    from goodword.core.demo import load_demo

    load_demo(nameless)
    nameless.refresh_from_db()
    assert nameless.get_full_name() == "Jordan Avery" and nameless.email == "carol@example.com"
    assert Profile.objects.for_user(nameless).get().phone
    assert name_problem(nameless.get_full_name()) is None
