from django.db import models


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one user. Views, CLI and API fetch through for_user()."""

    owner_path = "owner"

    def for_user(self, user):
        return self.filter(**{self.owner_path: user})

    def for_coach(self, coach, candidate=None):
        """Rows of the candidates assigned to `coach` (goodword.centres), or of the one
        `candidate` (a user id) among them: what a coach's read-only pages fetch through."""
        from goodword.centres.models import Membership

        assigned = Membership.objects.candidates_of(coach)
        if candidate is not None:
            assigned = assigned.filter(user_id=candidate)
        return self.filter(**{f"{self.owner_path}__in": assigned.values("user_id")})

class WorkerHeartbeat(models.Model):
    """The last sign of life of one `goodword worker` process, for /healthz?worker=1.

    One row per process (host:pid), written at most every HEARTBEAT_SECONDS
    from the worker's loop (goodword/core/health.py). Nobody's data.
    """

    worker = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
