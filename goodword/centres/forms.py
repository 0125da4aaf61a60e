from django import forms

from goodword.centres.models import Membership, Role


class NudgeForm(forms.Form):
    text = forms.CharField(
        label="Nudge", max_length=280,
        help_text="A short word they see on their dashboard until they dismiss it, e.g. “Dana hasn't heard from you”.",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CANDIDATE)


class AssignForm(forms.Form):
    candidate = forms.ModelChoiceField(queryset=Membership.objects.none())
    coach = forms.ModelChoiceField(queryset=Membership.objects.none())

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(centre=centre).select_related("user")
        self.fields["candidate"].queryset = members.candidates()
        self.fields["coach"].queryset = members.coaches()
        self.fields["candidate"].label_from_instance = self.fields["coach"].label_from_instance = _member_label


def _member_label(membership) -> str:
    user = membership.user
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email or user.get_username()


class SharingForm(forms.Form):
    share_contacts = forms.BooleanField(
        required=False, label="Show my references' email addresses and phone numbers to my coaches",
    )
