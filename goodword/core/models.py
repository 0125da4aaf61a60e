from django.db import models


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one user. Views, CLI and API fetch through for_user()."""

    owner_path = "owner"

    def for_user(self, user):
        return self.filter(**{self.owner_path: user})
