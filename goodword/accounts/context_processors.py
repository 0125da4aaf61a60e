from django.conf import settings


def signup(request):
    """Whether the sign-in page may offer sign-up to anyone (hosted mode's GOODWORD_OPEN_SIGNUP)."""
    return {"open_signup": settings.GOODWORD_MODE == "hosted" and settings.GOODWORD_OPEN_SIGNUP}
