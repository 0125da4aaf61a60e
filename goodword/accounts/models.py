from django.conf import settings
from django.db import models


class LoginToken(models.Model):
    """A one-time sign-in link, as printed by `goodword serve`. Only the hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Login link for {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"
