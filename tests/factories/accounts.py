from django.contrib.auth import get_user_model


def make_user(username="alice", password="correct horse battery staple", *, named=True):
    """A user; with named (the default) a complete profile, so pages open without the onboarding question.
    named=False gives a fresh account as a first sign-in sees it: no name yet."""
    User = get_user_model()
    defaults = {"email": f"{username}@example.com"}
    if named:
        defaults |= {"first_name": username.capitalize(), "last_name": "Example"}
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.set_password(password)
        user.save()
    return user


def give_name(user, first_name="Sam", last_name="Rivera"):
    """A complete profile for a user made elsewhere (the local account, "me")."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


def sign_in_browser(page, live_server, *, named=True):
    """Open a fresh one-time link in the browser, as `goodword serve` would print it.
    named=False leaves the local account nameless, so the browser lands on "Tell us who you are"."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from goodword.accounts.services import issue_login_token, local_user

    user = local_user()
    if named and not user.first_name:
        give_name(user)
    token = issue_login_token(user)
    page.goto(live_server.url + reverse("accounts:token_login", args=[token]))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
