"""System checks for configuration mistakes that start-up alone would not catch."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def check_hosted_configuration(app_configs, **kwargs):
    problems = []
    if settings.GOODWORD_MODE != "hosted":
        return problems
    if settings.DEBUG:
        problems.append(
            Error(
                "GOODWORD_DEBUG is on in hosted mode: error pages would show candidates' data.",
                hint="Unset GOODWORD_DEBUG.",
                id="goodword.E001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Warning(
                "Hosted mode is running on SQLite: several app processes on one file will queue on its write lock.",
                hint="Set GOODWORD_DATABASE_URL=postgresql://… for a hosted instance.",
                id="goodword.W001",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(
            Warning(
                "GOODWORD_ALLOWED_HOSTS contains '*': any Host header is accepted, which lets links in emails be forged.",
                hint="List the host names the instance is served on.",
                id="goodword.W002",
            )
        )
    if len(set(settings.SECRET_KEY)) < 5 or settings.SECRET_KEY.startswith("django-insecure-"):
        problems.append(
            Error(
                "GOODWORD_SECRET_KEY is a repeated pattern (fewer than 5 different characters) or Django's insecure sample.",
                hint="Use a long random value, e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="goodword.E003",
            )
        )
    return problems


@register(Tags.database)
def check_sqlite_folder(app_configs, **kwargs):
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return []
    from pathlib import Path

    folder = Path(database["NAME"]).parent
    if not folder.is_dir():
        return [
            Error(
                f"The SQLite database folder {folder} does not exist.",
                hint="Create it, or point GOODWORD_DATABASE_URL at an existing folder.",
                id="goodword.E002",
            )
        ]
    return []
