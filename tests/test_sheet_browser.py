"""In a browser: the print page fits five references on one A4 page, and the
letter flow on a phone (reference uploads, candidate shares, employer downloads)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from goodword.timeline.models import Event
from tests.factories.accounts import give_name, sign_in_browser
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.portal import make_portal_setup, page_url
from tests.factories.references import make_reference
from tests.factories.sheets import letter_pdf
from tests.factories.timeline import make_event

pytestmark = pytest.mark.browser


def test_five_references_print_on_one_a4_page(page, live_server, transactional_db):
    import io

    from pypdf import PdfReader

    candidate = give_name(local_user())
    opportunity = make_opportunity(candidate, company="Acme", role="Data Lead")
    for number in range(5):
        reference = make_reference(
            candidate, name=f"Reference Number {number} Ångström", title="Director of Platform Engineering",
            organisation="A Rather Long Organisation Name Ltd", preferred_channel="phone",
            preferred_hours="Weekdays 9:00–17:00 Central European Time", how_we_met="Worked together for years",
        )
        make_listing(opportunity, reference)
        make_event(reference, "agreed", opportunity=opportunity)
    from goodword.sheets.services import save_choices

    save_choices(opportunity, location="Lyon, France", headline="Available from March; happy to relocate.",
                 notes={str(r): "Managed my team through the 2023 platform migration" for r in
                        opportunity.listings.values_list("reference_id", flat=True)})
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("sheets:print", args=[opportunity.pk]))
    expect(page.get_by_role("heading", name="Reference Number 4 Ångström")).to_be_visible()
    for paper in ("A4", "Letter"):
        reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
        assert len(reader.pages) == 1, f"{paper}: {len(reader.pages)} pages"
        text = reader.pages[0].extract_text()
        assert "Reference Number 4" in text and "Back to the sheet" not in text


def test_on_a_phone_the_reference_uploads_the_candidate_shares_the_employer_downloads(
        chromium, page, live_server, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    candidate = give_name(local_user())
    listing, token = make_portal_setup(candidate, company="Northwind Traders", role="Platform Engineer")
    make_event(listing.reference, "agreed", opportunity=listing.opportunity)
    phone_context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(10_000)
    try:
        # The reference, on their phone.
        phone.goto(live_server.url + page_url(token))
        phone.get_by_role("link", name="Upload your letter (PDF)").click()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        letter_file = tmp_path / "my-letter.pdf"
        letter_file.write_bytes(letter_pdf("To whom it may concern"))
        phone.get_by_label("Your letter (PDF, under 5 MB)").set_input_files(str(letter_file))
        phone.get_by_label("Confidential").check()
        phone.get_by_role("button", name="Upload the letter").click()
        expect(phone.get_by_role("status").filter(has_text="your letter is uploaded")).to_be_visible()

        # The candidate makes an employer link and shares the letter.
        sign_in_browser(page, live_server)
        page.goto(live_server.url + reverse("opportunities:detail", args=[listing.opportunity.pk]))
        page.get_by_role("link", name="Reference sheet").click()
        expect(page.get_by_text("confidential: you can share it, not read it")).to_be_visible()
        page.get_by_role("button", name="Make an employer link").click()
        employer_url = page.get_by_role("textbox", name="Employer link").input_value()
        page.get_by_role("button", name="Share with the employer").click()
        expect(page.get_by_role("button", name="Stop sharing")).to_be_visible()

        # The employer, on a phone too, downloads it.
        phone.goto(employer_url)
        with phone.expect_download() as download:
            phone.get_by_role("link", name=f"Letter from {listing.reference.name} (PDF, confidential)").click()
        saved = tmp_path / "downloaded.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes()[:5] == b"%PDF-"
    finally:
        phone_context.close()

    # The candidate sees both: the upload and the download.
    page.goto(live_server.url + reverse("core:home"))
    notices = page.locator("#employer-notices-title").locator("..")
    expect(notices).to_contain_text(f"{listing.reference.name} uploaded their letter")
    expect(notices).to_contain_text(f"downloaded {listing.reference.name}'s letter")
    kinds = set(Event.objects.filter(reference=listing.reference).values_list("kind", flat=True))
    assert {"letter_sent", "sheet_opened"} <= kinds
