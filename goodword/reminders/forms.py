from django import forms

from goodword.reminders.models import ReminderSettings


class DigestForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["digest_enabled", "digest_hour", "digest_address"]
