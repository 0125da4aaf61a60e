import itertools

from goodword.references.models import Reference

_numbers = itertools.count(1)


def make_reference(owner, **fields) -> Reference:
    number = next(_numbers)
    values = {
        "name": f"Reference {number}",
        "emails": [f"reference{number}@example.com"],
        "phones": ["+1 555 0100"],
        "title": "Engineering Manager",
        "organisation": "Initech",
        "relationship": "manager",
        "vouches_for": ["Led the billing migration"],
    }
    values.update(fields)
    reference = Reference(owner=owner, **values)
    reference.full_clean()
    reference.save()
    return reference
