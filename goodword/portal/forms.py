from django import forms
from django.utils import timezone

from goodword.core.dates import guard_date_fields
from goodword.portal.models import Share


class ShareForm(forms.Form):
    shared = forms.MultipleChoiceField(
        label="What the reference sees", choices=Share.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your name, the role, the company and who may call are always shown.",
    )


class _AnswerForm(forms.Form):
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels that end in "?" read badly with a colon after them
        super().__init__(*args, **kwargs)
        guard_date_fields(self)


class ConsentForm(_AnswerForm):
    answer = forms.ChoiceField(choices=[("agreed", "Yes, I'll be a reference"), ("declined", "Not this time")])
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ContactedForm(_AnswerForm):
    when = forms.DateField(label="When did they contact you?", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}))
    asked = forms.CharField(label="What did they ask? (optional)", required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when > timezone.localdate():
            raise forms.ValidationError("That date is still to come; give the day they contacted you.")
        return when


class LetterSentForm(_AnswerForm):
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ContactDetailsForm(_AnswerForm):
    # 254: what the reference's address list accepts (validate_email_list), so the form says it, not a 500.
    email = forms.EmailField(label="Preferred email", required=False, max_length=254)
    phone = forms.RegexField(label="Preferred phone", required=False, max_length=40, regex=r"^[0-9+\-(). /x]*\d[0-9+\-(). /x]*$",
                             error_messages={"invalid": "Use digits, spaces and + - ( ) . only."})
    hours = forms.CharField(label="Best hours to call", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone") or data.get("hours")):
            raise forms.ValidationError("Fill in at least one of them.")
        return data


class AvailabilityForm(_AnswerForm):
    """The reference's own limits: the slate builder and the fatigue rule respect them."""

    away_until = forms.DateField(label="Away until (optional)", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="Leave empty when you are around.")
    max_calls_a_month = forms.IntegerField(label="At most this many calls a month (optional)", required=False,
                                           min_value=1, max_value=30, help_text="Leave empty for no limit.")

    def clean_away_until(self):
        away_until = self.cleaned_data["away_until"]
        if away_until and away_until < timezone.localdate():
            raise forms.ValidationError("That day has passed; leave it empty when you are around.")
        return away_until


ANSWER_FORMS = {"consent": ConsentForm, "contacted": ContactedForm, "letter": LetterSentForm, "contact": ContactDetailsForm,
                "availability": AvailabilityForm}
