from django import forms
from django.utils import timezone

from goodword.core.widgets import QuickSelect
from goodword.opportunities.models import Opportunity
from goodword.references.forms import FriendlyForm
from goodword.references.models import Channel
from goodword.timeline.models import EventKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


class EventForm(FriendlyForm, forms.Form):
    """Log one interaction in a single step; services.log_event does the rest."""

    kind = forms.ChoiceField(label="What happened", choices=EventKind.choices, widget=QuickSelect)
    channel = forms.ChoiceField(label="Channel", required=False, choices=[("", "—"), *Channel.choices],
                                widget=QuickSelect)
    occurred_at = forms.DateTimeField(
        label="When", required=False, widget=datetime_input(),
        help_text="Leave it as it is for now (the moment you log it), or change it to when it happened.",
    )
    # The pre-filled "When": a time left as it was means "now", stamped on
    # submission, so that what is logged later is ordered later.
    prefilled = forms.CharField(required=False, widget=forms.HiddenInput)
    opportunity = forms.ModelChoiceField(
        label="About opportunity", required=False, queryset=Opportunity.objects.none(), empty_label="(no opportunity)",
        help_text="Agreeing, a heads-up, thanks and the like settle a debt only for the opportunity they name.",
        widget=QuickSelect,
    )
    note = forms.CharField(label="Note", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, opportunity=None, opportunities=None, **kwargs):
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs["initial"] = {"occurred_at": now, "prefilled": now.strftime(DATETIME_LOCAL),
                             "opportunity": opportunity, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        # Only the user's own opportunities can be chosen, or even named; a page
        # may offer fewer (`opportunities`, one of the user's querysets): every
        # option is rendered, and a long history made the form slow.
        field = self.fields["opportunity"]
        field.queryset = (
            opportunities if opportunities is not None else Opportunity.objects.for_user(user).order_by("company", "role")
        )
        # The menu from plain tuples, labelled as Opportunity.__str__ does: no model
        # instance per option (a long search offers a hundred of them on each reference page);
        # read when the menu is drawn, so that a posted form, which is not drawn unless it
        # has errors, reads none of it.
        offered, menu = field.queryset, []

        def choices():  # drawing iterates twice (the first option decides `required`): read once
            if not menu:
                menu.extend([("", field.empty_label), *(
                    (pk, f"{role} at {company}") for pk, role, company in offered.values_list("id", "role", "company"))])
            return menu

        field.widget.choices = choices

    def clean(self):
        data = super().clean()
        given = (self.data.get(self.add_prefix("occurred_at")) or "").strip()
        if given and given == (data.get("prefilled") or "").strip():
            data["occurred_at"] = None  # untouched: the moment of submission
        return data

    def event_fields(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "channel": data["channel"],
            "occurred_at": data["occurred_at"],
            "opportunity": data["opportunity"],
            "note": data["note"],
        }
