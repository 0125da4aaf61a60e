import datetime as dt

from django.utils import timezone

from goodword.opportunities import services
from goodword.opportunities.models import Interview


def make_opportunity(owner, *, stage="applied", stage_on=None, **fields):
    values = {"company": "Northwind Traders", "role": "Platform Engineer", "references_wanted": 3}
    values.update(fields)
    return services.create_opportunity(owner, stage=stage, stage_on=stage_on, **values)


def make_interview(opportunity, **fields):
    values = {
        "when": timezone.now() - dt.timedelta(days=2),
        "with_whom": "Priya Raman, hiring manager",
        "format": "panel",
        "questions": "Tell us about a migration you led.",
        "strong_points": "Incident leadership",
        "weak_points": "Kubernetes depth",
    }
    values.update(fields)
    return services.save_interview(Interview(opportunity=opportunity, **values))


def make_listing(opportunity, reference):
    return services.add_to_slate(opportunity, reference)
