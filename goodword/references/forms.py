from django import forms
from django.db.models import Q

from goodword.core.boundfield import QuickBoundField
from goodword.core.dates import guard_date_fields
from goodword.core.widgets import QuickSelect
from goodword.references.models import Reference, Relationship, Status


def date_input():
    # The browser's date picker sends ISO dates whatever the user's locale.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.Field):
    """A JSON list of short texts on the model, edited as one item per line.

    The list's own rules (valid emails, phone characters, lengths) live in the
    model's validators; ModelForm runs them and puts the message on this field.
    """

    def __init__(self, *, rows=3, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list):
            return value
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class FriendlyForm:
    """What includes/form_fields.html expects of every form here."""

    bound_field_class = QuickBoundField  # field groups rendered in Python (goodword/core/boundfield.py)

    def __init__(self, *args, **kwargs):
        # The layout sets labels apart already; Django's trailing colon is noise.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        guard_date_fields(self)

    def invalid_fields(self):
        return [field for field in self.visible_fields() if field.errors]


class FieldsetsMixin(FriendlyForm):
    """Group a form's fields under legends; includes/form_fields.html renders them."""

    fieldsets: list[tuple[str, list[str]]] = []

    def grouped_fields(self):
        # A subclass may drop or add fields; each fieldset shows the ones present.
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]


class ReferenceForm(FieldsetsMixin, forms.ModelForm):
    emails = LinesField(label="Email addresses", help_text="One per line; the first is the one used by default.")
    phones = LinesField(label="Phone numbers", help_text="One per line.")
    vouches_for = LinesField(
        label="Can vouch for", rows=4,
        help_text="Skills, projects and achievements they can speak to; one per line.",
    )

    class Meta:
        model = Reference
        fields = [
            "name", "title", "organisation", "relationship", "status",
            "emails", "phones", "preferred_channel", "preferred_hours",
            "known_since", "how_we_met", "vouches_for", "likes",
            "consent_given_on", "consent_scope", "away_until", "max_calls_a_month", "notes",
        ]
        widgets = {
            "known_since": date_input(),
            "consent_given_on": date_input(),
            "away_until": date_input(),
            "how_we_met": forms.Textarea(attrs={"rows": 3}),
            "likes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "consent_given_on": "Agreed to be listed on",
            "consent_scope": "Consent covers",
            "how_we_met": "How you know them",
            "likes": "Likes and gift ideas",
        }
        help_texts = {
            "consent_given_on": "Leave empty until they have said yes to being listed.",
            "consent_scope": "For example: any engineering role, or only this year's search.",
        }

    fieldsets = [
        ("Who they are", ["name", "title", "organisation", "relationship", "status"]),
        ("How to reach them", ["emails", "phones", "preferred_channel", "preferred_hours"]),
        ("What they can say about you", ["known_since", "how_we_met", "vouches_for"]),
        ("Consent to be listed", ["consent_given_on", "consent_scope"]),
        ("Availability (they can set this from their portal page too)", ["away_until", "max_calls_a_month"]),
        ("Personal", ["likes", "notes"]),
    ]

    # The fields that services.create_reference/update_reference accept.
    def reference_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReferenceFilterForm(FriendlyForm, forms.Form):
    q = forms.CharField(label="Name or organisation", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices],
                               widget=QuickSelect)
    relationship = forms.ChoiceField(
        label="Relationship", required=False, choices=[("", "Any relationship"), *Relationship.choices],
        widget=QuickSelect,
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(organisation__icontains=data["q"]))
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["relationship"]:
            queryset = queryset.filter(relationship=data["relationship"])
        return queryset

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.values())
