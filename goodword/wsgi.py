import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodword.settings")
application = get_wsgi_application()


def _refuse_a_database_from_a_newer_version():
    # A WSGI server never migrates (`goodword serve` and the CLI do), but old
    # code must not serve a schema a newer Goodword made either.
    from django.db import connections

    from goodword.core import upgrades

    try:
        upgrades.refuse_newer_database(upgrades.applied_migrations(), upgrades.migration_files_on_disk())
    finally:
        # The server may fork workers after importing this module: none inherits the connection.
        connections.close_all()


_refuse_a_database_from_a_newer_version()
