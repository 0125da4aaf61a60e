"""Reference book operations shared by the web app, the CLI and the API."""

from django.db import transaction

from goodword.references.models import Reference


def create_reference(owner, **fields) -> Reference:
    reference = Reference(owner=owner, **fields)
    reference.full_clean()
    reference.save()
    return reference


def update_reference(reference: Reference, **fields) -> Reference:
    for name, value in fields.items():
        setattr(reference, name, value)
    reference.full_clean()
    reference.save()
    return reference


@transaction.atomic
def delete_reference(reference: Reference) -> int:
    """Delete a reference with its listings and timeline; returns how many events went."""
    events = reference.events.count()
    reference.delete()
    return events
