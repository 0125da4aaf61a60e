from django import forms

from goodword.references.forms import FriendlyForm


class ProfileForm(FriendlyForm, forms.Form):
    """Who the candidate is, as drafts and documents show it."""

    first_name = forms.CharField(label="First name", max_length=150, help_text="Drafts are signed with your name.")
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Your email", required=False,
        help_text="Put on your documents, and where Goodword's own emails reach you.",
    )
    phone = forms.CharField(label="Your phone", max_length=40, required=False, help_text="Put on your documents.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, autocomplete in (("first_name", "given-name"), ("last_name", "family-name"),
                                   ("email", "email"), ("phone", "tel")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["phone"].widget.input_type = "tel"

    @classmethod
    def for_user(cls, user, data=None):
        from goodword.accounts.services import candidate_phone

        return cls(data, initial={
            "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "phone": candidate_phone(user),
        })
