from django.contrib.auth import get_user_model


def make_user(username="alice", password="correct horse battery staple"):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
    if created:
        user.set_password(password)
        user.save()
    return user


def sign_in_browser(page, live_server):
    """Open a fresh one-time link in the browser, as `goodword serve` would print it."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from goodword.accounts.services import issue_login_token, local_user

    token = issue_login_token(local_user())
    page.goto(live_server.url + reverse("accounts:token_login", args=[token]))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
