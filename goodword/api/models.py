"""Personal access tokens for the HTTP API, and what the API remembers between requests.

A token is shown once, when it is made; only its SHA-256 hash is stored (as
for portal and sign-in links, goodword/lib/tokens.py), with a short prefix
that finds the row without comparing every hash and that the settings page
shows so the user can tell their tokens apart.
"""

from django.conf import settings
from django.db import models

from goodword.core.models import OwnedQuerySet


class Scope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class AccessTokenQuerySet(OwnedQuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class AccessToken(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=12, choices=Scope, default=Scope.READ_WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.READ_WRITE

    def as_dict(self) -> dict:
        return {
            "id": self.pk,
            "name": self.name,
            "prefix": self.prefix,
            "scope": self.scope,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class RateWindow(models.Model):
    """Requests one token made in one minute: the per-token rate limit, kept in the
    database so that every server process counts the same requests."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "window_start"], name="one_rate_window_per_minute")]


class IdempotentRequest(models.Model):
    """The first answer to a POST that carried an Idempotency-Key: a retry gets it again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)  # method, path and body: the same key with another body is refused
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_answer_per_idempotency_key")]
