"""pytest plugin: on PostgreSQL, a transactional test empties the tables with DELETE instead of TRUNCATE.

pytest-django empties every table after each test that commits (``transactional_db``, the browser journeys,
the live server). Django's PostgreSQL flush is one ``TRUNCATE`` of all ~90 tables, which gives each table and
index a new file: 2.5-3.8 s per test on these machines, about 20 minutes of a full run. Deleting the few rows a
test left costs about 10 ms. The delete runs with ``session_replication_role = replica`` for the flush's own
transaction only (``SET LOCAL``), so neither the append-only triggers (decision 0003) nor the foreign keys,
which are triggers too, stop it: every table is emptied, as TRUNCATE would. That setting needs a superuser;
with any other role the flush stays Django's own. A flush that resets sequences also stays Django's own.
"""

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush


def _may_replicate(ops: DatabaseOperations) -> bool:
    connection = ops.connection
    if not hasattr(connection, "_fast_flush_allowed"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        connection._fast_flush_allowed = bool(row and row[0])  # type: ignore[attr-defined]
    return connection._fast_flush_allowed  # type: ignore[attr-defined]


def _delete_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or not tables or not _may_replicate(self):
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    # execute_sql_flush runs these in one transaction, which SET LOCAL lasts for.
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables),
    ]


DatabaseOperations.sql_flush = _delete_flush  # type: ignore[method-assign]
