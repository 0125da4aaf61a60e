from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
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


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; opened through an invitation, the email is the invited one, shown locked."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # as every form of the app
        super().__init__(*args, **kwargs)
        from goodword.accounts.services import pending_invitation

        request = allauth_context.request
        self.invitation = pending_invitation(request) if request is not None else None
        if self.invitation is not None:
            field = self.fields["email"]
            field.initial = self.invitation.email
            field.widget.attrs["readonly"] = True
            field.help_text = "The address you were invited at. It is already verified by this link."

    def clean_email(self):
        if self.invitation is not None:
            typed = (self.cleaned_data.get("email") or "").strip().lower()
            if typed != self.invitation.email.lower():
                raise forms.ValidationError(
                    f"This invitation is for {self.invitation.email}; sign up with that address.")
        return super().clean_email()


class DeleteAccountForm(FriendlyForm, forms.Form):
    """Deleting an account is confirmed by typing its email address."""

    email = forms.CharField(label="Type your email address to confirm", max_length=254)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self):
        typed = " ".join((self.cleaned_data.get("email") or "").split()).lower()
        if not typed or typed != (self.user.email or "").lower():
            raise forms.ValidationError("That is not your account's email address; nothing was deleted.")
        return typed
