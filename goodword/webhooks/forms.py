from django import forms

from goodword.lib import webhook_wire
from goodword.references.forms import FriendlyForm


class EndpointForm(FriendlyForm, forms.Form):
    # A CharField, not a URLField: services.check_address says precisely what is wrong
    # (http in hosted mode, a private address, credentials), which Django's URL check would not.
    url = forms.CharField(label="Receiver address", max_length=webhook_wire.MAX_URL_LENGTH,
                          help_text="An https:// address that accepts POST requests.",
                          widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url",
                                                        "placeholder": "https://example.org/goodword-hook"}))
    kinds = forms.MultipleChoiceField(label="Send these events", choices=list(webhook_wire.KINDS.items()),
                                      widget=forms.CheckboxSelectMultiple)
