"""The last web-only forms through the API: a centre's admin pages, contacts in and out, the sheet as a
file, letters and a reference's standing link. Each test would fail if the route stopped calling the
service the web page (or the CLI) calls."""

import json

from django.core import mail

from goodword.centres import services as centres
from goodword.centres.models import Assignment, Membership, Seat
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.api import bearer, make_token
from tests.factories.centres import make_centre, make_member
from tests.factories.hosted import hosted, make_account  # noqa: F401
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.sheets import make_letter


def post(client, url, body, token, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **token, **headers)


def test_an_admin_invites_assigns_unassigns_and_removes_through_the_api(client, alice):
    centre = make_centre()
    centres.add_member(centre, alice, "admin")
    pupil = make_member(centre, "pupil", "candidate")
    tutor = make_member(centre, "tutor", "coach")
    token = bearer(make_token(alice))
    base = f"/api/v1/centres/{centre.slug}"

    assert [c["slug"] for c in client.get("/api/v1/centres", **token).json()] == [centre.slug]
    page = client.get(base, **token).json()
    assert {(m["id"], m["role"]) for m in page["members"]} >= {(pupil.pk, "candidate"), (tutor.pk, "coach")}

    invited = post(client, f"{base}/seats", {"email": " Dana@Example.org ", "role": "coach"}, token)
    assert invited.status_code == 201 and invited.json()["email"] == "dana@example.org"
    assert [s["email"] for s in client.get(base, **token).json()["seats"]] == ["dana@example.org"]
    refused = post(client, f"{base}/seats", {"email": "not an address", "role": "coach"}, token)
    assert refused.status_code == 422 and "not an email address" in refused.json()["detail"]
    assert client.delete(f"{base}/seats/{invited.json()['id']}", **token).status_code == 204
    assert not Seat.objects.filter(centre=centre).exists()
    assert client.delete(f"{base}/seats/{invited.json()['id']}", **token).status_code == 404

    assigned = post(client, f"{base}/assignments", {"candidate_id": pupil.pk, "coach_id": tutor.pk}, token,
                    HTTP_IDEMPOTENCY_KEY="assign-pupil-1")
    assert assigned.status_code == 201 and assigned.json()["coach_id"] == tutor.pk
    again = post(client, f"{base}/assignments", {"candidate_id": pupil.pk, "coach_id": tutor.pk}, token,
                 HTTP_IDEMPOTENCY_KEY="assign-pupil-1")
    assert again["Idempotent-Replayed"] == "true" and Assignment.objects.count() == 1
    assert [row["candidate_id"] for row in client.get("/api/v1/cohort", **bearer(make_token(tutor.user))).json()
            ["items"]] == [pupil.pk]
    swapped = post(client, f"{base}/assignments", {"candidate_id": tutor.pk, "coach_id": pupil.pk}, token)
    assert swapped.status_code == 422 and "candidate and a coach" in swapped.json()["detail"]

    assignment_id = assigned.json()["id"]
    assert client.delete(f"{base}/assignments/{assignment_id}", **token).status_code == 204
    assert client.get("/api/v1/cohort", **bearer(make_token(tutor.user))).json()["items"] == []
    assert client.delete(f"{base}/assignments/{assignment_id}", **token).status_code == 404

    assert client.delete(f"{base}/members/{pupil.pk}", **token).status_code == 204
    assert not Membership.objects.filter(pk=pupil.pk).exists()
    mine = Membership.objects.get(centre=centre, user=alice, role="admin")
    last = client.delete(f"{base}/members/{mine.pk}", **token)
    assert last.status_code == 422 and "last admin" in last.json()["detail"]


def test_the_audit_log_pages_the_coaches_looks_and_is_read_only_for_read_tokens(client, alice):
    centre = make_centre()
    centres.add_member(centre, alice, "admin")
    pupil = make_member(centre, "pupil", "candidate")
    tutor = make_member(centre, "tutor", "coach")
    centres.assign(pupil, tutor)
    coach_token = bearer(make_token(tutor.user, read_only=True))
    client.get(f"/api/v1/cohort/{pupil.pk}", **coach_token)  # recorded, as the web's candidate page
    for label in ("Dana", "Eli"):
        centres.record_access(tutor.user, pupil, "reference", label)
    reader = bearer(make_token(alice, read_only=True))

    first = client.get(f"/api/v1/centres/{centre.slug}/audit?limit=2", **reader).json()
    assert [row["label"] for row in first["items"]] == ["Eli", "Dana"] and first["next_cursor"]
    rest = client.get(f"/api/v1/centres/{centre.slug}/audit?cursor={first['next_cursor']}", **reader).json()
    assert [row["what"] for row in rest["items"]] == ["overview"] and rest["next_cursor"] is None
    assert (rest["items"][0]["coach"], rest["items"][0]["candidate"]) == ("Tutor Example", "Pupil Example")
    assert post(client, f"/api/v1/centres/{centre.slug}/seats", {"email": "x@example.org"}, reader).status_code == 403


def test_an_invitation_over_the_api_is_mailed_as_from_the_admin_page(hosted, client):
    centre = make_centre()
    ada = make_account("ada@example.org")
    centres.add_member(centre, ada, "admin")
    invited = post(client, f"/api/v1/centres/{centre.slug}/seats", {"email": "dana@example.org", "role": "candidate"},
                   bearer(make_token(ada)))
    assert invited.status_code == 201
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    assert "/accounts/invite/" in mail.outbox[0].body


# ---------------------------------------------------------------- contacts in and out


VCARD = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Quinn\r\nEMAIL:dana@example.com\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eli Park\r\nEMAIL:eli@example.com\r\nORG:Fabrikam\r\nEND:VCARD\r\n")


def test_a_vcard_is_previewed_then_imported_with_a_row_left_out_and_a_second_import_adds_nothing(client, alice):
    make_reference(alice, name="Dana Quinn", emails=["dana@example.com"], phones=[])
    token = bearer(make_token(alice))
    preview = client.post("/api/v1/contacts/import?dry_run=true", VCARD, content_type="text/vcard", **token)
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["imported"] is False and body["format"] == "vcard"
    assert [(row["name"], row["action"]) for row in body["rows"]] == [("Dana Quinn", "merge"), ("Eli Park", "add")]
    assert "phones" in body["rows"][0]["changes"] and Reference.objects.for_user(alice).count() == 1

    done = client.post("/api/v1/contacts/import?exclude=1", VCARD, content_type="application/octet-stream", **token)
    assert done.json() | {"rows": None} == done.json() | {"imported": True, "added": 1, "merged": 0, "skipped": 1,
                                                           "rows": None}
    assert Reference.objects.for_user(alice).get(name="Dana Quinn").phones == []
    assert Reference.objects.for_user(alice).get(name="Eli Park").status == "resting"

    again = client.post("/api/v1/contacts/import", {"file": _file("contacts.vcf", VCARD)}, **token).json()
    assert (again["added"], again["merged"]) == (0, 1)  # multipart, and only Dana's phone is new
    assert Reference.objects.for_user(alice).count() == 2


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_csv_takes_the_pages_column_mapping_and_linkedin_is_recognised(client, alice):
    token = bearer(make_token(alice))
    csv = b"Full,Mail,Company\nRiley Chen,riley@example.com,Contoso\n"
    mapped = client.post("/api/v1/contacts/import?dry_run=true&column=Full%3Dname&column=Mail%3Demail"
                         "&column=Company%3Dorganisation", csv, content_type="text/csv", **token).json()
    assert mapped["columns"] == ["Full", "Mail", "Company"]
    assert [(r["name"], r["emails"], r["organisation"]) for r in mapped["rows"]] == [
        ("Riley Chen", ["riley@example.com"], "Contoso")]
    wrong = client.post("/api/v1/contacts/import?column=Full%3Dshoe", csv, content_type="text/csv", **token)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "query.column"
    linkedin = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                b"Sam,Ortiz,https://www.linkedin.com/in/sam,sam@example.com,Northwind,CTO,01 Jan 2024\n")
    seen = client.post("/api/v1/contacts/import?dry_run=true", linkedin, content_type="text/csv", **token).json()
    assert seen["format"] == "linkedin" and seen["rows"][0]["title"] == "CTO"


def test_an_import_over_5_mb_is_a_413_that_says_the_limit_and_an_empty_or_binary_one_is_explained(client, alice):
    token = bearer(make_token(alice))
    big = b"BEGIN:VCARD\r\n" + b"X" * (5 * 1024 * 1024)
    for send in (dict(data=big, content_type="text/vcard"), dict(data={"file": _file("big.vcf", big)})):
        refused = client.post("/api/v1/contacts/import", **send, **token)
        assert refused.status_code == 413, refused.content[:200]
        assert refused["Content-Type"] == "application/problem+json" and "at most 5 MB" in refused.json()["detail"]
    empty = client.post("/api/v1/contacts/import", b"", content_type="text/csv", **token)
    assert empty.status_code == 422 and "body" in empty.json()["detail"]
    binary = client.post("/api/v1/contacts/import", bytes(range(256)) * 10, content_type="application/octet-stream",
                         **token).json()
    assert binary["rows"] == [] and "not a text file" in binary["problems"][0]["message"]
    assert client.post("/api/v1/contacts/import", {"other": "x"}, **token).status_code == 422
    assert Reference.objects.for_user(alice).count() == 0


def test_the_book_downloads_as_vcard_and_csv_with_an_etag(client, alice, bob):
    make_reference(alice, name="Dana Quinn", emails=["dana@example.com"], organisation="Fabrikam")
    make_reference(bob, name="Bob's Contact", emails=["bc@example.com"])
    token = bearer(make_token(alice))
    vcard = client.get("/api/v1/contacts/vcard", **token)
    assert vcard.status_code == 200 and vcard["Content-Type"].startswith("text/vcard")
    assert b"FN:Dana Quinn" in vcard.content and b"Bob" not in vcard.content
    assert "goodword-references.vcf" in vcard["Content-Disposition"]
    assert client.get("/api/v1/contacts/vcard", HTTP_IF_NONE_MATCH=vcard["ETag"], **token).status_code == 304
    csv = client.get("/api/v1/contacts/csv", **token)
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[1].startswith("Dana Quinn,dana@example.com,+1 555 0100,Engineering Manager,Fabrikam")
    # What the export gives, the import takes back as the same people: nothing new.
    again = client.post("/api/v1/contacts/import", vcard.content, content_type="text/vcard", **token).json()
    assert again["added"] == 0


# ---------------------------------------------------------------- the sheet as a file, letters


def test_downloading_the_sheet_gives_the_file_and_records_it_sent_as_the_page_does(client, alice):
    reference = make_reference(alice, name="Dana Quinn")
    job = make_opportunity(alice, company="Fabrikam", role="Engineer", stage="references_requested")
    make_listing(job, reference)
    token = bearer(make_token(alice))
    # Dana has had no heads-up, so the sheet leaves her off unless insisted on (the page's choice).
    assert client.put(f"/api/v1/opportunities/{job.pk}/sheet", json.dumps({"insisted": [reference.pk]}),
                      content_type="application/json", **token).status_code == 200
    pdf = client.get(f"/api/v1/opportunities/{job.pk}/sheet/pdf", **token)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and 'filename="references-Fabrikam.pdf"' in pdf["Content-Disposition"]
    assert pdf["Cache-Control"] == "no-store"
    sent = Event.objects.filter(owner=alice, reference=reference, opportunity=job, kind="sheet_sent")
    assert sent.count() == 1 and "downloaded as PDF" in sent.get().note
    docx = client.get(f"/api/v1/opportunities/{job.pk}/sheet/docx", **token)
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.content.startswith(b"PK")
    assert client.get(f"/api/v1/opportunities/{job.pk}/sheet/odt", **token).status_code in (404, 422)


def test_letters_are_listed_shared_through_the_employer_link_and_a_confidential_one_is_never_read(client, alice):
    reference = make_reference(alice, name="Dana Quinn")
    job = make_opportunity(alice, company="Fabrikam", role="Engineer", stage="references_requested")
    listing = make_listing(job, reference)
    open_letter = make_letter(listing, text="Dana recommends Alice")
    secret = make_letter(listing, confidential=True)
    token = bearer(make_token(alice))
    letters = client.get(f"/api/v1/opportunities/{job.pk}/letters", **token).json()
    assert {(row["id"], row["confidential"], row["shared"]) for row in letters} == {
        (open_letter.pk, False, False), (secret.pk, True, False)}

    own = client.get(f"/api/v1/letters/{open_letter.pk}/pdf", **token)
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF-")
    assert client.get(f"/api/v1/letters/{secret.pk}/pdf", **token).status_code == 404
    assert client.get(f"/api/v1/letters/{secret.pk}", **token).json()["confidential"] is True

    share = f"/api/v1/opportunities/{job.pk}/employer-link/letters"
    no_link = post(client, share, {"letter_id": secret.pk}, token)
    assert no_link.status_code == 422 and "employer link first" in no_link.json()["detail"]
    post(client, f"/api/v1/opportunities/{job.pk}/employer-link", {"employer": "Fabrikam"}, token)
    shared = post(client, share, {"letter_id": secret.pk}, token)
    assert shared.status_code == 200 and [r["shared"] for r in shared.json() if r["id"] == secret.pk] == [True]
    from goodword.sheets import services as sheets

    assert list(sheets.current_link(job).letters.all()) == [secret]
    assert client.delete(f"{share}/{secret.pk}", **token).status_code == 204
    assert client.delete(f"{share}/{secret.pk}", **token).status_code == 404
    assert not sheets.current_link(job).letters.exists()


# ---------------------------------------------------------------- a reference's standing link


def test_a_standing_link_is_issued_once_shown_replaced_and_revoked(client, alice):
    from goodword.sheets import backdoor
    from goodword.sheets.models import StandingLink

    reference = make_reference(alice, name="Dana Quinn")
    token = bearer(make_token(alice))
    url = f"/api/v1/references/{reference.pk}/standing-link"
    assert client.get(url, **token).json()["status"] == "none"
    issued = client.post(url, **token)
    assert issued.status_code == 201 and issued["Cache-Control"] == "no-store"
    first = issued.json()["url"]
    assert "/k/" in first and issued.json()["status"] == "live"
    secret = first.rstrip("/").rsplit("/", 1)[1]
    assert backdoor.resolve_standing(secret).reference == reference
    assert secret not in client.get(url, **token).content.decode()
    assert not StandingLink.objects.filter(token_hash=secret).exists()  # only its hash is kept
    # The reference's page opens with it, as the link the web page shows would.
    from urllib.parse import urlsplit

    assert client.get(urlsplit(first).path).status_code == 200

    second = client.post(url, **token).json()["url"]
    assert second != first and backdoor.resolve_standing(secret).revoked_at is not None
    revoked = client.delete(url, **token)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert backdoor.resolve_standing(second.rstrip("/").rsplit("/", 1)[1]).revoked_at is not None
