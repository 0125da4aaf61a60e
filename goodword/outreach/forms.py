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


class GiftForm(FriendlyForm, forms.Form):
    """The gesture a thank-you mentions: an idea drawn from their likes (their first like first),
    the candidate's own words, or none. Read from the query string, like the draft's kind and tone."""

    gift = forms.ChoiceField(label="A small gift with the thank-you", required=False, widget=forms.RadioSelect)
    gift_own = forms.CharField(
        label="Or your own idea", required=False, max_length=200,
        help_text="Written as it should read in the message, e.g. “a bag of good coffee beans”.",
    )

    def __init__(self, ideas: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gift"].choices = [("", "No gift: the note is enough")] + [
            (idea["idea"], f"{idea['idea']} (they like {idea['like']})") for idea in ideas
        ]

    def chosen(self) -> str:
        """The gesture to weave into the message ("" for none, or while the choice is invalid)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["gift_own"].split()) or self.cleaned_data["gift"]


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

