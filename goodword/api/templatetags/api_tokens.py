from django import template

from goodword.api.forms import TokenForm
from goodword.api.models import AccessToken

register = template.Library()


@register.simple_tag
def api_tokens_of(user):
    """The user's tokens for the settings section (its view stays the settings hub's)."""
    return list(AccessToken.objects.for_user(user)) if user.is_authenticated else []


@register.simple_tag
def new_token_form():
    return TokenForm()
