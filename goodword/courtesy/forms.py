import zoneinfo

from django import forms

from goodword.core.dates import guard_date_fields
from goodword.courtesy.models import CourtesySettings
from goodword.lib.ids import MAX_ID
from goodword.references.models import Channel


class KeyForm(forms.Form):
    key = forms.CharField(max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_date_fields(self)


class SettleForm(KeyForm):
    channel = forms.ChoiceField(choices=[("", "—")] + list(Channel.choices), required=False)
    note = forms.CharField(max_length=2000, required=False)
    reference = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class SnoozeForm(KeyForm):
    until = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class DismissForm(KeyForm):
    reason = forms.CharField(max_length=1000)


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.ModelForm):
    time_zone = forms.TypedChoiceField(choices=time_zone_choices, help_text=CourtesySettings._meta.get_field("time_zone").help_text)

    class Meta:
        model = CourtesySettings
        fields = ["time_zone", "thank_within_days", "fatigue_listings", "fatigue_days", "keep_warm_days", "references_wanted",
                  "archive_after_days", "consent_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a submission (an older form, a script): the saved value stays.
        self.fields["consent_months"].required = False
