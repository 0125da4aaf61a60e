from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from goodword.accounts.models import Invitation, LoginToken
from goodword.accounts.services import INVITATION_DAYS, create_invitation, invitable_email, send_invitation
from goodword.portal.services import public_base_url


@admin.register(LoginToken)
class LoginTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    list_filter = ["used_at", "expires_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    # Only the hash is stored; nothing here can be turned back into a link.
    readonly_fields = ["user", "token_hash", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):
        return False


class InvitationForm(forms.ModelForm):
    days = forms.IntegerField(min_value=1, max_value=365, initial=INVITATION_DAYS,
                              help_text="How many days the link works.")

    class Meta:
        model = Invitation
        fields = ["email"]

    def clean_email(self):
        return invitable_email(self.cleaned_data["email"])


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Staff invite one address at a time: the link is mailed, and shown here once."""

    list_display = ["email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
    list_filter = ["accepted_at", "expires_at"]
    search_fields = ["email"]
    list_select_related = ["invited_by", "accepted_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["email", "token_hash", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        invitation, path = create_invitation(form.cleaned_data["email"], request.user, form.cleaned_data["days"])
        for field in Invitation._meta.concrete_fields:  # the admin goes on with the saved row
            setattr(obj, field.attname, getattr(invitation, field.attname))
        link = public_base_url() + path
        try:
            send_invitation(invitation, path)
        except (OSError, ValidationError):
            messages.warning(request, f"The email could not be sent; give {invitation.email} this link yourself "
                                      f"(shown once): {link}")
        else:
            messages.info(request, f"Invitation mailed to {invitation.email}. The link, shown once: {link}")
