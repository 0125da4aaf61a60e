from django import forms

from goodword.outreach import emails
from goodword.outreach.models import Security
from goodword.references.forms import FriendlyForm
from goodword.references.models import Channel


class ComposeForm(FriendlyForm, forms.Form):
    to_name = forms.CharField(label="To (name)", max_length=200, required=False)
    # Not required: a reference with no email address can still get the text
    # by phone or LinkedIn, and the hand-sent message is logged all the same.
    to_address = forms.CharField(label="To (email)", max_length=254, required=False)
    subject = forms.CharField(max_length=500)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 22, "cols": 80}), max_length=100000, strip=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    channel = forms.ChoiceField(
        choices=[(value, label) for value, label in Channel.choices if value != "portal"], initial="email",
        label="Sent by (when you send it yourself)",
    )

    def clean_to_name(self):
        return emails.check_header(self.cleaned_data["to_name"], "recipient name")

    def clean_subject(self):
        # The check the email builder makes, as a message on the field.
        return emails.check_subject(self.cleaned_data["subject"])

    def clean_body(self):
        # Browsers post CRLF; the message is built (and its lines ended) by the email library.
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip("\n")
        if not body.strip():
            raise forms.ValidationError("The message is empty.")
        return body + "\n"


class SmtpSettingsForm(FriendlyForm, forms.Form):
    host = forms.CharField(max_length=255, help_text="e.g. smtp.fastmail.com")
    port = forms.IntegerField(min_value=1, max_value=65535, initial=587)
    security = forms.ChoiceField(choices=Security.choices, initial=Security.STARTTLS)
    username = forms.CharField(max_length=255, required=False, label="User name")
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), required=False, max_length=500,
        help_text="Stored encrypted and never shown again; leave empty to keep the saved one.",
    )
    from_name = forms.CharField(max_length=200, required=False, label="Your name (sender)")
    from_address = forms.CharField(max_length=254, label="Your email address (sender)")


class TemplateForm(FriendlyForm, forms.Form):
    subject = forms.CharField(max_length=2000)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 24, "cols": 80}), max_length=50000)

