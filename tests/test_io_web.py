"""Importing on the web: upload (size limit), preview with per-row include/exclude, confirm without JS."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goodword.references.models import Reference, Status
from goodword.transfer.models import ImportUpload

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def upload(client, name, data=None, fmt=""):
    data = data if data is not None else (FIXTURES / name).read_bytes()
    return client.post(reverse("transfer:upload"), {"file": SimpleUploadedFile(name, data), "format": fmt})


def test_upload_preview_and_confirm_only_the_ticked_rows(alice_client, alice):
    Reference.objects.create(owner=alice, name="Sam Lee", emails=["sam@lee.example"], title="CTO")
    response = upload(alice_client, "thunderbird_with_broken_card.vcf")
    pending = ImportUpload.objects.for_user(alice).get()
    assert response.url == reverse("transfer:preview", args=[pending.pk])
    page = alice_client.get(response.url).content.decode()
    assert "Priya Raman" in page and "card 2 (line 13)" in page and "same email as Sam Lee: nothing new" in page
    assert not Reference.objects.filter(name="Priya Raman").exists()
    done = alice_client.post(response.url, {"include": []})  # everything unticked: nothing added
    assert done.status_code == 302 and Reference.objects.for_user(alice).count() == 1
    assert not ImportUpload.objects.exists()
    upload(alice_client, "iphone.vcf")
    pending = ImportUpload.objects.for_user(alice).get()
    alice_client.post(reverse("transfer:preview", args=[pending.pk]), {"include": ["1", "3"]})
    names = set(Reference.objects.for_user(alice).values_list("name", flat=True))
    assert names == {"Sam Lee", "Morgan Ellis", "Σοφία Παπαδοπούλου"}
    assert Reference.objects.get(name="Morgan Ellis").status == Status.RESTING


def test_a_file_over_the_limit_gets_a_clear_message(alice_client):
    response = upload(alice_client, "big.csv", b"name,email\n" + b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 200
    assert "upload at most 5 MB" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_unknown_columns_are_mapped_by_the_user(alice_client, alice):
    upload(alice_client, "unknown_columns.csv")
    pending = ImportUpload.objects.for_user(alice).get()
    page = alice_client.get(reverse("transfer:preview", args=[pending.pk])).content.decode()
    assert "map the columns" in page and "Column “Reach me at”" in page
    alice_client.post(reverse("transfer:mapping", args=[pending.pk]),
                      {"column-0": "name", "column-1": "email", "column-2": "organisation"})
    page = alice_client.get(reverse("transfer:preview", args=[pending.pk])).content.decode()
    assert "Ada Byron" in page
    alice_client.post(reverse("transfer:preview", args=[pending.pk]), {"include": ["1"]})
    ada = Reference.objects.for_user(alice).get()
    assert (ada.name, ada.emails, ada.organisation) == ("Ada Byron", ["ada@analytical.example"], "Analytical Engines")


def test_a_binary_file_is_previewed_as_one_problem(alice_client, alice):
    upload(alice_client, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40)
    pending = ImportUpload.objects.for_user(alice).get()
    page = alice_client.get(reverse("transfer:preview", args=[pending.pk])).content.decode()
    assert "not a text file" in page


def test_settings_page_offers_the_download_and_the_last_backup(alice_client, alice, settings, tmp_path):
    settings.GOODWORD_HOME = tmp_path
    settings.GOODWORD_MODE = "local"
    page = alice_client.get(reverse("core:settings")).content.decode()
    assert reverse("transfer:export_json") in page and "Last backup: none yet" in page
    from goodword.transfer.backups import back_up

    back_up()
    assert "Last backup: <time" in alice_client.get(reverse("core:settings")).content.decode()
    Reference.objects.create(owner=alice, name="Dana Whitfield")
    download = alice_client.get(reverse("transfer:export_json"))
    assert download["Content-Disposition"].startswith("attachment")
    assert download.json()["references"][0]["name"] == "Dana Whitfield"


def test_previews_abandoned_for_a_day_are_cleared_on_the_next_upload(alice_client, alice, bob):
    import datetime as dt

    from django.utils import timezone

    old = ImportUpload.objects.create(owner=alice, filename="old.csv", format="csv", data=b"name\nA\n")
    bobs = ImportUpload.objects.create(owner=bob, filename="bob.csv", format="csv", data=b"name\nB\n")
    ImportUpload.objects.filter(pk__in=[old.pk, bobs.pk]).update(created_at=timezone.now() - dt.timedelta(days=2))
    upload(alice_client, "utf8_bom.csv")
    assert not ImportUpload.objects.filter(pk=old.pk).exists()
    assert ImportUpload.objects.filter(pk=bobs.pk).exists()
