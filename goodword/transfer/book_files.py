"""The reference book as a vCard 4.0 file or a CSV, built with vobject and csv (never templates)."""

from __future__ import annotations

import csv
import io

CSV_COLUMNS = ("name", "emails", "phones", "title", "organisation", "relationship", "status", "notes")


def book_vcard(references) -> str:
    import vobject

    cards = []
    for reference in references:
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("fn").value = reference.name
        given, _, family = reference.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        for email in reference.emails:
            card.add("email").value = email
        for phone in reference.phones:
            card.add("tel").value = phone
        if reference.organisation:
            card.add("org").value = [reference.organisation]
        if reference.title:
            card.add("title").value = reference.title
        if reference.notes:
            card.add("note").value = reference.notes
        cards.append(card.serialize())
    return "".join(cards)


def book_csv(references) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for reference in references:
        writer.writerow([
            reference.name, "; ".join(reference.emails), "; ".join(reference.phones), reference.title,
            reference.organisation, reference.relationship, reference.status, reference.notes,
        ])
    return out.getvalue()
