from django import forms
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.core.widgets import QuickSelect
from goodword.lib import vocabulary
from goodword.opportunities.models import Interview, Opportunity, Stage
from goodword.references.forms import FieldsetsMixin, FriendlyForm, date_input
from goodword.references.models import Channel, Reference, Relationship
from goodword.timeline.forms import datetime_input

OPPORTUNITY_FIELDS = [
    "company", "role", "posting_url", "posting_text", "references_wanted",
    "checker_name", "checker_email", "checker_phone", "start_date", "announced_on", "notes",
]


class OpportunityForm(FieldsetsMixin, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        widgets = {
            "posting_text": forms.Textarea(attrs={"rows": 8}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "start_date": date_input(),
            "announced_on": date_input(),
        }
        labels = {"posting_url": "Posting URL", "references_wanted": "References they want"}
        help_texts = {"posting_text": "Paste the job ad; it helps choose who can vouch for what it asks."}

    fieldsets = [
        ("The job", ["company", "role", "stage", "stage_on", "posting_url", "posting_text"]),
        ("Reference check", ["references_wanted", "checker_name", "checker_email", "checker_phone"]),
        ("Dates and notes", ["start_date", "announced_on", "notes"]),
    ]

    def opportunity_fields(self):
        return {name: self.cleaned_data[name] for name in OPPORTUNITY_FIELDS}


class NewOpportunityForm(OpportunityForm):
    stage = forms.ChoiceField(label="Stage", choices=Stage.choices, initial=Stage.LEAD)
    stage_on = forms.DateField(label="Since", widget=date_input(), required=False, help_text="Leave empty for today.")



class StageForm(FriendlyForm, forms.Form):
    # Field names match the keys of the errors services.change_stage raises.
    stage = forms.ChoiceField(label="New stage", choices=Stage.choices, widget=QuickSelect)
    changed_on = forms.DateField(label="Date", widget=date_input())
    note = forms.CharField(label="Note", required=False, max_length=500)

    def __init__(self, *args, opportunity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate
        current = opportunity.stage if opportunity is not None else None
        suggested = vocabulary.next_stage(current)
        if suggested is not None:
            # The usual next step is the likeliest choice.
            self.fields["stage"].initial = suggested
        elif current is not None:
            # An application that ended has no likely next stage: no choice made
            # for the user (the first one, "Lead", would be a surprising default).
            self.fields["stage"].choices = [("", "Choose a stage…"), *Stage.choices]
            self.fields["stage"].initial = ""


class InterviewForm(FriendlyForm, forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["when", "format", "with_whom", "questions", "strong_points", "weak_points", "notes"]
        widgets = {
            "when": datetime_input(),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "strong_points": forms.Textarea(attrs={"rows": 3}),
            "weak_points": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "strong_points": "What went well and the references can confirm.",
            "weak_points": "Doubts the interviewers had that a reference can answer.",
        }


@prepared
def _offered_references(owner_id: int, opportunity_id: int):
    # On every opportunity page: compiled once (core/prepared.py).
    return (Reference.objects.for_user(owner_id).usable().exclude(listings__opportunity_id=opportunity_id)
            .order_by("name", "id").values_list("id", "name", "relationship", "organisation"))


class SlateAddForm(FriendlyForm, forms.Form):
    # QuickSelect: a reference book's worth of <option>s without a template each.
    reference = forms.ModelChoiceField(label="Reference to add", queryset=Reference.objects.none(), widget=QuickSelect)
    in_scope = forms.BooleanField(
        label="Within their standing consent", required=False,
        help_text="Tick when they agreed to be listed for roles like this one and that consent still counts; "
                  "it then counts as their yes for this listing.",
    )

    def __init__(self, *args, user, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reference"]
        # Any of the user's own references is accepted, so that a duplicate or a
        # do-not-use reference reaches services.add_to_slate and its clear
        # message; the menu only offers the ones that make sense.
        field.queryset = Reference.objects.for_user(user)
        # Plain tuples: a long reference book means thousands of options.
        relationships = dict(Relationship.choices)
        self.offered = [
            (pk, f"{name} ({relationships.get(relationship, relationship)}{', ' + organisation if organisation else ''})")
            for pk, name, relationship, organisation in _offered_references(user.pk, opportunity.pk)
        ]
        field.widget.choices = [("", "Choose a reference…"), *self.offered]


# What a slate row can log in one step, without visiting the reference's page.
SLATE_LOG_KINDS = [
    ("heads_up", "Heads-up given"),
    ("agreed", "They agreed"),
    ("declined", "They declined"),
    ("employer_contacted", "Employer called them"),
    ("letter_requested", "Letter requested"),
    ("draft_provided", "Letter draft given"),
    ("outcome_shared", "Outcome shared"),
    ("thanked", "Thanked them"),
]


class SlateLogForm(forms.Form):
    kind = forms.ChoiceField(choices=SLATE_LOG_KINDS, label="What happened")
    channel = forms.ChoiceField(
        choices=[("", "—"), *((value, label) for value, label in Channel.choices if value != Channel.PORTAL)],
        required=False, label="How",
    )
