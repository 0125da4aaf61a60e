"""Slate-wide actions and fresh pages, through the test client: every htmx
action announces that the ledger changed, the badge and the debt sections can
fetch themselves again, the ledger acts on whole slates, the slate-wide
compose picks its kind and its ticks, and a slate row logs in one step."""

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.timeline.models import Event
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

HTMX = {"HX-Request": "true"}
TODAY = timezone.localdate().isoformat()
TRIGGER = "HX-Trigger-After-Settle"


@pytest.fixture
def acme(alice):
    """Acme asked for references: three listed, all agreed, none warned; Tomás also listed, not asked."""
    job = make_opportunity(alice, company="Acme", role="Data Engineer", stage="references_requested",
                           references_wanted=2)
    refs = [make_reference(alice, name=name, relationship="manager" if n == 0 else "peer",
                           emails=[f"{name.split()[0].lower()}@example.com"], preferred_channel="phone")
            for n, name in enumerate(["Dana Whitfield", "Priya Venkataraman", "Marcus Oyelaran"])]
    for ref in refs:
        make_listing(job, ref)
        log(ref, "agreed", job)
    return job, refs


def test_an_htmx_stage_change_tells_the_page_that_the_ledger_changed(alice_client, acme):
    job, _ = acme
    url = reverse("opportunities:stage", args=[job.pk])
    response = alice_client.post(url, {"stage": "offer", "changed_on": TODAY}, headers=HTMX)
    assert response.status_code == 200
    assert response[TRIGGER] == "ledger-changed"


def test_every_slate_action_and_a_logged_event_tell_the_page_too(alice, alice_client, acme):
    job, (dana, priya, marcus) = acme
    tomas = make_reference(alice, name="Tomás Herrera")
    listing = job.listings.get(reference=priya)
    posts = [
        lambda: (reverse("opportunities:slate_add", args=[job.pk]), {"reference": tomas.pk}),
        lambda: (reverse("opportunities:slate_move", args=[listing.pk]), {"direction": "up"}),
        lambda: (reverse("opportunities:slate_log", args=[listing.pk]), {"kind": "heads_up", "channel": "phone"}),
        lambda: (reverse("opportunities:slate_remove", args=[job.listings.get(reference=tomas).pk]), {}),
        lambda: (reverse("timeline:log", args=[dana.pk]), {"kind": "call", "opportunity": job.pk, "channel": "phone"}),
    ]
    for post in posts:
        url, data = post()
        response = alice_client.post(url, data, headers=HTMX)
        assert response.status_code == 200, url
        assert response.get(TRIGGER) == "ledger-changed", url


def test_without_javascript_the_actions_still_redirect_and_announce_nothing(alice_client, acme):
    job, _ = acme
    response = alice_client.post(reverse("opportunities:stage", args=[job.pk]), {"stage": "offer", "changed_on": TODAY})
    assert response.status_code == 302 and TRIGGER not in response


def test_a_settle_answers_with_the_ledger_and_the_badge_out_of_band_instead_of_a_reload(alice_client, acme):
    job, (dana, *_rest) = acme
    headers = HTMX | {"HX-Target": "ledger", "HX-Current-URL": "http://testserver/due/"}
    response = alice_client.post(reverse("courtesy:settle"), {"key": f"no_heads_up:{dana.pk}:{job.pk}"},
                                 headers=headers)
    html = response.content.decode()
    assert 'id="ledger"' in html
    assert 'id="due-badge"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="badge">2<' in html  # two heads-ups still owed
    assert TRIGGER not in response  # the ledger would otherwise reload over its own status line


def test_the_badge_and_the_own_debt_sections_fetch_themselves(alice_client, acme):
    job, (dana, *_rest) = acme
    badge = alice_client.get(reverse("courtesy:badge"), headers=HTMX).content.decode()
    assert 'id="due-badge"' in badge and '<span class="badge">3<' in badge
    assert 'hx-trigger="ledger-changed from:body"' in badge
    own = alice_client.get(reverse("courtesy:own") + f"?job={job.pk}", headers=HTMX).content.decode()
    assert own.count('class="debt debt-critical"') == 3 and 'id="own-debts"' in own
    own = alice_client.get(reverse("courtesy:own") + f"?ref={dana.pk}", headers=HTMX).content.decode()
    assert own.count('class="debt debt-critical"') == 1
    assert alice_client.get(reverse("courtesy:own")).status_code == 404


def test_another_users_debts_are_not_found(client, bob, acme):
    job, (dana, *_rest) = acme
    client.force_login(bob)
    assert client.get(reverse("courtesy:own") + f"?job={job.pk}").status_code == 404
    assert client.get(reverse("courtesy:own") + f"?ref={dana.pk}").status_code == 404


def test_the_pages_debt_sections_listen_for_changes(alice_client, acme):
    job, (dana, *_rest) = acme
    for url in ("/", reverse("courtesy:ledger"), job.get_absolute_url(), dana.get_absolute_url()):
        html = alice_client.get(url).content.decode()
        assert html.count('hx-trigger="ledger-changed from:body"') == 2, url  # the badge and the debts
        if url == job.get_absolute_url():  # + the slate builder's panel, which also loads itself after the page
            assert html.count('hx-trigger="load, ledger-changed from:body"') == 1


def test_the_dashboard_shows_one_card_for_the_slate_with_one_action_for_all(alice_client, acme):
    job, refs = acme
    html = alice_client.get("/").content.decode()
    assert "Data Engineer at Acme</bdi></a>:\n      3 need a heads-up" in html
    slate_url = reverse("outreach:slate", args=[job.pk]) + "?kind=heads_up&amp;next=/"
    assert f'href="{slate_url}"' in html
    assert html.count('class="debt debt-critical"') == 3  # each still there, with its own one-step settle
    assert html.count('name="key" value="no_heads_up:') == 3  # the settle form of each
    assert html.count('<details class="later" hx-get="/due/later/?key=no_heads_up:') == 3  # snooze, dismiss: on demand


def test_the_slate_compose_picks_the_kind_from_the_stage(alice_client, acme):
    job, _ = acme
    url = reverse("outreach:slate", args=[job.pk])
    assert '<option value="heads_up" selected>' in alice_client.get(url).content.decode()
    alice_client.post(reverse("opportunities:stage", args=[job.pk]), {"stage": "landed", "changed_on": TODAY})
    assert '<option value="outcome" selected>' in alice_client.get(url).content.decode()


def test_the_slate_compose_ticks_those_who_owe_and_shows_where_each_stands(alice_client, acme):
    job, (dana, priya, marcus) = acme
    log(dana, "heads_up", job)
    html = alice_client.get(reverse("outreach:slate", args=[job.pk]) + "?kind=heads_up").content.decode()
    assert f'name="include-{dana.pk}" value="1">' in html  # done already: unticked
    assert f'name="include-{priya.pk}" value="1" checked>' in html
    assert f'name="include-{marcus.pk}" value="1" checked>' in html
    assert '<span class="state state-heads_up">Heads-up sent</span>' in html
    assert html.count('<span class="state state-agreed">Agreed</span>') == 2
    assert "Priya Venkataraman hasn&#x27;t heard from you" in html


def test_the_slate_compose_accepts_an_outcome_ahead_of_the_rules_and_ticks_all_not_yet_told(alice_client, acme):
    job, (dana, priya, marcus) = acme
    alice_client.post(reverse("opportunities:stage", args=[job.pk]), {"stage": "offer", "changed_on": TODAY})
    log(marcus, "outcome_shared", job)
    html = alice_client.get(reverse("outreach:slate", args=[job.pk]) + "?kind=outcome").content.decode()
    assert '<option value="outcome" selected>' in html
    assert f'name="include-{dana.pk}" value="1" checked>' in html
    assert f'name="include-{marcus.pk}" value="1">' in html


def test_marking_the_slate_as_sent_goes_back_where_it_came_from(alice_client, acme):
    job, refs = acme
    url = reverse("outreach:slate", args=[job.pk]) + "?kind=heads_up&next=/due/"
    data = {"kind": "heads_up", "tone": "friendly", "key": "k1", "next": "/due/", "action": "mark_sent"}
    for ref in refs:
        data |= {f"include-{ref.pk}": "1", f"subject-{ref.pk}": "Acme", f"body-{ref.pk}": "Hello"}
    response = alice_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == "/due/"
    assert Event.objects.filter(kind="heads_up", opportunity=job).count() == 3
    page = alice_client.get(url).content.decode()
    assert 'href="/due/">Back to where you were</a>' in page
    assert f'href="{job.get_absolute_url()}">Back to' in page


def test_the_slate_compose_refuses_to_go_back_to_another_site(alice_client, acme):
    job, refs = acme
    html = alice_client.get(reverse("outreach:slate", args=[job.pk]) + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in html


def test_a_slate_row_logs_what_happened_in_one_step(alice_client, acme):
    job, (dana, *_rest) = acme
    listing = job.listings.get(reference=dana)
    page = alice_client.get(job.get_absolute_url()).content.decode()
    # The row offers what Dana owes first (a heads-up) by her preferred channel.
    assert f'<select name="kind" id="log-kind-{listing.pk}"><option value="heads_up" selected>' in page
    response = alice_client.post(reverse("opportunities:slate_log", args=[listing.pk]),
                                 {"kind": "employer_contacted", "channel": "phone"})
    assert response.status_code == 302 and response["Location"].endswith("#slate")
    event = Event.objects.get(reference=dana, kind="employer_contacted")
    assert event.opportunity == job and event.channel == "phone"


def test_a_slate_row_refuses_an_unknown_kind_and_another_users_listing(alice_client, client, bob, acme):
    job, (dana, *_rest) = acme
    listing = job.listings.get(reference=dana)
    url = reverse("opportunities:slate_log", args=[listing.pk])
    response = alice_client.post(url, {"kind": "gossip"}, headers=HTMX)
    assert response.status_code == 200 and "Nothing logged" in response.content.decode()
    assert not Event.objects.filter(reference=dana).exclude(kind="agreed").exists()
    client.force_login(bob)
    assert client.post(url, {"kind": "heads_up"}).status_code == 404


def test_a_message_status_that_stops_polling_tells_the_page_the_ledger_may_have_changed(alice, alice_client, acme):
    from goodword.outreach import outbox
    from goodword.outreach.models import MessageState, OutboxMessage
    from tests.factories.outreach import make_smtp_settings

    job, (dana, *_rest) = acme
    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, dana, kind="heads_up", opportunity=job, subject="Hi", text="Hi\n")
    poll = alice_client.get(message.get_absolute_url(), headers=HTMX)
    assert TRIGGER not in poll  # still queued: nothing new yet
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.SENT)
    poll = alice_client.get(message.get_absolute_url(), headers=HTMX)
    assert poll[TRIGGER] == "ledger-changed"


def primary_controls(html):
    """The buttons and button-links of the compose form's main row that are not quiet."""
    import re

    row = html.split('class="actions compose-actions">', 1)[1].split("</div>", 1)[0]
    return [control for control in re.findall(r"<(?:button|a)\b[^>]*>[^<]*", row)
            if "button-quiet" not in control and ("<button" in control or 'class="button' in control)]


def test_compose_has_one_primary_button_and_enter_previews(alice, alice_client, acme):
    from tests.factories.outreach import make_smtp_settings

    job, (dana, *_rest) = acme
    url = reverse("outreach:compose") + f"?kind=heads_up&ref={dana.pk}&job={job.pk}"
    html = alice_client.get(url).content.decode()
    (primary,) = primary_controls(html)
    assert "Open in my mail program" in primary
    form = html.split('class="form compose">', 1)[1]
    first_submit = form.split('<button type="submit"', 1)[1]
    assert first_submit.startswith(' name="action" value="preview"')  # Enter in a field previews, never sends
    make_smtp_settings(alice, 2525)
    (primary,) = primary_controls(alice_client.get(url).content.decode())
    assert "Send by email" in primary


def test_compose_shows_the_preview_once(alice_client, acme):
    job, (dana, *_rest) = acme
    html = alice_client.get(reverse("outreach:compose") + f"?kind=heads_up&ref={dana.pk}&job={job.pk}").content.decode()
    assert html.count("Preview: as they will read it") == 1 and "<pre" not in html


def test_enter_in_the_slate_form_sends_nothing_and_keeps_the_edits(alice, alice_client, acme):
    from goodword.outreach.models import OutboxMessage
    from tests.factories.outreach import make_smtp_settings

    job, (dana, priya, marcus) = acme
    make_smtp_settings(alice, 2525)
    url = reverse("outreach:slate", args=[job.pk]) + "?kind=heads_up"
    html = alice_client.get(url).content.decode()
    form = html.split('class="form slate-compose"', 1)[1]
    assert form.split('<button type="submit"', 1)[1].startswith(' name="action" value="review"')  # the default
    data = {"kind": "heads_up", "tone": "friendly", "key": "k", "action": "review",
            f"include-{priya.pk}": "1", f"subject-{priya.pk}": "My own subject", f"body-{priya.pk}": "My own words"}
    response = alice_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and not OutboxMessage.objects.exists()
    assert 'value="My own subject"' in page and ">My own words</textarea>" in page
    assert f'name="include-{priya.pk}" value="1" checked>' in page
    assert f'name="include-{dana.pk}" value="1">' in page  # unticked by the user, so it stays so
