"""Database-level guarantees that no code path can forget."""

from django.db import migrations


class AppendOnly(migrations.RunPython):
    """Make a table refuse UPDATE (and, where ``block_delete``, DELETE) with a trigger (AUD-1, AGR-1, REG-2).

    DELETE is refused on PostgreSQL only: Django empties test databases on SQLite with DELETE (on PostgreSQL
    with TRUNCATE, which row triggers do not see), and the audit chain's verification reports removed rows
    anyway. SQLite re-creates a table when a later migration alters it, which drops its triggers: a test
    asserts they are still there.
    """

    def __init__(self, table: str, *, block_delete: bool = False):
        self.table, self.block_delete = table, block_delete
        super().__init__(self._create, self._drop)

    def _events(self, vendor: str) -> list[str]:
        return ["UPDATE", "DELETE"] if self.block_delete and vendor == "postgresql" else ["UPDATE"]

    def _create(self, apps, schema_editor):
        vendor, t = schema_editor.connection.vendor, self.table
        for event in self._events(vendor):
            name = f"{t}_no_{event.lower()}"
            if vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN RAISE EXCEPTION '{t} is append-only'; END $$"
                )
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {t} FOR EACH ROW EXECUTE FUNCTION {name}()"
                )

    def _drop(self, apps, schema_editor):
        vendor, t = schema_editor.connection.vendor, self.table
        for event in self._events(vendor):
            name = f"{t}_no_{event.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {t}")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")

    def describe(self):
        return f"Make {self.table} append-only"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {"block_delete": self.block_delete})
