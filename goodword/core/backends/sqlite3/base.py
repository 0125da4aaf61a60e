"""Django's SQLite backend, with the database file and its WAL files kept private (0600)."""

from django.db.backends.sqlite3 import base

from goodword.lib.private_files import make_private_sqlite_files


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        make_private_sqlite_files(str(conn_params["database"]))
        return super().get_new_connection(conn_params)
