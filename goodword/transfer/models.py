from django.conf import settings
from django.db import models

from goodword.core.models import OwnedQuerySet


class ImportUpload(models.Model):
    """A file uploaded for import, kept only between its preview and the user's confirmation.

    The web preview must survive a plain form POST (no JavaScript), so the file
    waits here rather than in the session; confirming or abandoning deletes it.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_uploads")
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    data = models.BinaryField()
    mapping = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename
