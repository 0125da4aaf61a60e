"""Hosted mode in a test: allauth's pages mounted, rate-limit counters cleared, and accounts as sign-up makes them."""

import pytest
from django.core.cache import cache

PASSWORD = "correct horse battery staple"


@pytest.fixture
def hosted(settings, db):
    settings.GOODWORD_MODE = "hosted"
    settings.GOODWORD_OPEN_SIGNUP = False
    settings.ROOT_URLCONF = "goodword.urls_hosted"
    cache.clear()  # the database cache outlives a transactional test
    yield settings
    cache.clear()


def make_account(email, password=PASSWORD, *, verified=True, named=True):
    """A hosted account as allauth leaves it after sign-up: email login, a (verified) EmailAddress row."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password,
        first_name="Casey" if named else "", last_name="Example" if named else "",
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
