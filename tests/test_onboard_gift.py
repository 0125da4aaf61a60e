"""Issue 9, item 5: gift ideas follow what the reference likes most, and the chosen one is in the thank-you."""

import pytest
from django.urls import reverse

from goodword.outreach import drafts, services
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

FISHING = "a small fly-fishing accessory from a local tackle shop"
COFFEE = "a bag of beans from a good local roaster"


@pytest.fixture
def dana(alice):
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"],
                               likes="fly fishing, strong coffee")
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", stage="landed")
    make_listing(job, reference)
    return reference, job


def test_the_first_like_gives_the_first_idea():
    assert drafts.gift_idea("fly fishing, strong coffee", "manager")["idea"] == FISHING
    assert drafts.gift_idea("strong coffee, fly fishing", "manager")["idea"] == COFFEE


def test_one_idea_per_like_in_their_order():
    ideas = drafts.gift_ideas("Fly fishing on the Deschutes; good coffee. Jazz on vinyl\nbonsai")
    assert [idea["like"] for idea in ideas] == ["Fly fishing on the Deschutes", "good coffee", "Jazz on vinyl", "bonsai"]
    assert [idea["idea"] for idea in ideas][:2] == [FISHING, COFFEE]


def test_a_word_inside_another_word_is_not_a_like():
    # "tea" in "team", "fly" in "butterfly": not a tea drinker, not an angler.
    assert drafts.gift_ideas("team sports")[0]["idea"] == "something small to do with team sports"
    assert drafts.gift_ideas("butterfly gardens")[0]["idea"] == "a potted herb for the garden"


def test_the_thank_you_says_nothing_of_a_gift_until_one_is_chosen(alice, dana):
    reference, job = dana
    for tone in ("friendly", "formal"):
        draft = drafts.make_draft(alice, "thanks", reference, job, tone)
        assert "on its way" not in draft.body and "reach you shortly" not in draft.body
        assert draft.notes[0].index(FISHING) < draft.notes[0].index(COFFEE)


@pytest.mark.parametrize("tone, sentence", [
    ("friendly", f"so {FISHING} is on its way to you as a small thank-you"),
    ("formal", f"As a small token of my gratitude, {FISHING} will reach you shortly"),
])
def test_the_chosen_gesture_is_woven_into_the_message(alice, dana, tone, sentence):
    reference, job = dana
    draft = drafts.make_draft(alice, "thanks", reference, job, tone, gift=FISHING)
    assert sentence in draft.body
    assert FISHING in draft.template_html
    assert draft.notes == [f"Gift: {FISHING}. {drafts.gift_budget('manager')} "
                           "A short handwritten note with it is what they will remember."]


def test_a_users_own_template_gets_the_chosen_gift(alice, dana):
    reference, job = dana
    services.save_user_template(alice, "thanks", "friendly", subject="Thanks",
                                body="{% if gift.chosen %}Look out for {{ gift.chosen }}.{% endif %} "
                                     "{% for idea in gift.ideas %}[{{ idea.like }}]{% endfor %}")
    body = drafts.make_draft(alice, "thanks", reference, job, gift="a jar of local honey").body
    assert "Look out for a jar of local honey." in body and "[fly fishing][strong coffee]" in body


def compose(client, reference, job, **query):
    url = reverse("outreach:compose")
    return client.get(url, {"kind": "thanks", "ref": reference.pk, "job": job.pk, **query})


def test_compose_offers_an_idea_per_like_first_like_first(alice_client, dana):
    reference, job = dana
    page = compose(alice_client, reference, job).content.decode()
    assert "A small gift with the thank-you" in page
    assert page.index(f'value="{FISHING}"') < page.index(f'value="{COFFEE}"')
    assert "No gift: the note is enough" in page and 'name="gift_own"' in page
    assert "on its way" not in page.split('class="preview-html"')[1]
    other = alice_client.get(reverse("outreach:compose"), {"kind": "outcome", "ref": reference.pk, "job": job.pk})
    assert 'name="gift_own"' not in other.content.decode()


def test_compose_weaves_the_picked_idea_or_your_own_into_the_draft(alice_client, dana):
    reference, job = dana
    response = compose(alice_client, reference, job, gift=FISHING, gift_own="")
    assert f"so {FISHING} is on its way to you" in response.context["form"].initial["body"]
    # The compose form posts back with the choice, so an unedited draft keeps its HTML.
    assert "gift=a+small+fly-fishing" in response.content.decode()
    own = compose(alice_client, reference, job, gift=COFFEE, gift_own="a hand-tied fly from the shop on Burnside")
    assert "a hand-tied fly from the shop on Burnside is on its way" in own.context["form"].initial["body"]


def test_an_idea_that_is_not_on_offer_is_refused_and_nothing_is_promised(alice_client, dana):
    reference, job = dana
    response = compose(alice_client, reference, job, gift="a new car")
    assert "on its way" not in response.context["form"].initial["body"]
    assert "Select a valid choice" in response.content.decode()


def test_the_cli_takes_the_gift_to_mention(run, dana):
    reference, job = dana
    result = run("draft", "thanks", "--ref", reference.pk, "--job", job.pk, "--gift", "a jar of local honey")
    assert result.exit_code == 0 and "so a jar of local honey is on its way to you" in result.output
    plain = run("draft", "thanks", "--ref", reference.pk, "--job", job.pk)
    assert "on its way" not in plain.output and FISHING in plain.output  # the ideas, as a note on stderr
    wrong = run("draft", "outcome", "--ref", reference.pk, "--job", job.pk, "--gift", "wine")
    assert wrong.exit_code == 2 and "--gift goes with a thank-you" in wrong.output
