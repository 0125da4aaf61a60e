from django import template

from goodword.api.forms import TokenForm
from goodword.api.models import AccessToken
from goodword.core.prepared import prepared

register = template.Library()


@prepared
def _tokens_of(owner_id: int):
    return AccessToken.objects.for_user(owner_id)


@register.simple_tag
def api_tokens_of(user):
    """The user's tokens for the settings section (its view stays the settings hub's)."""
    return _tokens_of(user.pk) if user.is_authenticated else []


@register.simple_tag
def new_token_form():
    return TokenForm()
