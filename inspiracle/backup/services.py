"""Backup and restore of a whole installation (OPS-3, UX-5): an operator tool above every app.

One gzip-compressed tar archive holds the database (SQLite: a copy made with the online backup API;
PostgreSQL: ``pg_dump --format=custom``, both consistent while the site runs), every file of the storages
(local folders or S3 buckets, read through the storage API and streamed, never held in memory), and last a
``manifest.json``: the SHA-256 and size of every member, the rows of every table, the applied migrations, the
time and the platform version. The key rings are NOT in it: without them the personal information in the
database cannot be read, so they are kept apart (``key_locations`` says where they are).

A restore goes into an empty installation only, reads the whole archive and checks every member against the
manifest before it changes anything, loads the database and the files, checks the rows and every restored
file again, and verifies the audit chain.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from inspiracle.audit.services import ChainReport, audit_verify
from inspiracle.core.crypto import DecryptionError
from inspiracle.core.fields import EncryptedTextField

FORMAT = 1
MANIFEST = "manifest.json"
# The storages that hold the installation's files ("staticfiles" is rebuilt from the code).
STORAGE_ALIASES = ("default", "private")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


@dataclass(frozen=True, kw_only=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int
    bytes: int
    audit: ChainReport
    # Encrypted columns the configured key ring cannot read (it is not the ring the backup was written with).
    unreadable: list[str] = field(default_factory=list)
    migrations_behind: list[str] = field(default_factory=list)


def platform_version() -> str:
    try:
        return metadata.version("inspiracle")
    except metadata.PackageNotFoundError:
        return "unknown"


def key_locations() -> list[str]:
    """Where the secrets that are not in the archive live, for the operator's message."""
    found = []
    for name, embedded in (("PII_KEYRING", "pii-keyring.json"), ("SECRET_KEY", "secret_key")):
        if os.environ.get(f"{name}_FILE"):
            found.append(f"{name}: the file {os.environ[f'{name}_FILE']} ({name}_FILE)")
        elif os.environ.get(name):
            found.append(f"{name}: the environment variable {name}")
        else:
            found.append(f"{name}: the file {Path(settings.DATA_DIR) / embedded}")
    return found


# --- Hashing streams --------------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Reads from ``source`` and hashes what passed through."""

    def __init__(self, source: IO[bytes]):
        self.source, self.sha256, self.size = source, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.source.read(-1 if size is None else size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# --- Storages ---------------------------------------------------------------------------------------------


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def stored_files() -> Iterator[tuple[str, str]]:
    """(storage alias, name) of every stored file."""
    for alias in STORAGE_ALIASES:
        for name in _walk(storages[alias]):
            yield alias, name


# --- The database -----------------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (install the PostgreSQL client of the server's version)"
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _table_counts(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_snapshot(target: Path) -> tuple[dict[str, int], list[str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # type: ignore[union-attr]
        cursor = copy.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = _table_counts(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')
        migrations = [
            f"{app}.{name}" for app, name in cursor.execute("SELECT app, name FROM django_migrations")
        ]
    finally:
        copy.close()
    return counts, sorted(migrations)


def _postgres_snapshot(target: Path) -> tuple[dict[str, int], list[str]]:
    """Counts and dump from one snapshot: a read-only repeatable-read transaction exports it to pg_dump."""
    env, args = _pg_env_and_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        counts = _table_counts(cursor, tables, connection.ops.quote_name)
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *args,
            ],
            env,
        )
    return counts, migrations


# --- Backup -----------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def backup_write(*, output: Path, progress: Callable[[str], None] = lambda line: None) -> BackupResult:
    """Write the archive to ``output`` (through a temporary name beside it, readable by the owner only)."""
    vendor = _vendor()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict[str, Any]] = {}
    partial = output.with_name(f".{output.name}.partial")
    with tempfile.TemporaryDirectory(prefix="inspiracle-backup-") as work:
        dump = Path(work) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        counts, migrations = (_sqlite_snapshot if vendor == "sqlite" else _postgres_snapshot)(dump)
        progress(f"database: {len(counts)} tables, {sum(counts.values())} rows")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                with dump.open("rb") as source:
                    _add(tar, f"database/{dump.name}", source, dump.stat().st_size, members)
                files = 0
                for alias, name in stored_files():
                    storage = storages[alias]
                    try:
                        stored, size = storage.open(name, "rb"), storage.size(name)
                    except FileNotFoundError:
                        continue  # deleted since it was listed (after the database snapshot)
                    with stored:
                        _add(tar, f"storage/{alias}/{name}", stored, size, members)
                    files += 1
                progress(f"files: {files}")
                manifest = {
                    "format": FORMAT,
                    "platform_version": platform_version(),
                    "created_at": timezone.now().isoformat(),
                    "database": {
                        "vendor": vendor,
                        "member": f"database/{dump.name}",
                        "tables": counts,
                        "migrations": migrations,
                    },
                    "members": members,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=output, manifest=manifest)


def _add(tar: tarfile.TarFile, member: str, source: IO[bytes], size: int, members: dict[str, Any]) -> None:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
    reader = _HashingReader(source)
    try:
        tar.addfile(info, reader)  # type: ignore[arg-type]
    except OSError as exc:  # shorter than its size: truncated while it was read
        raise BackupError(f"{member} changed while it was copied; run the backup again") from exc
    if reader.size != size:
        raise BackupError(f"{member} changed while it was copied")
    members[member] = {"sha256": reader.sha256.hexdigest(), "size": size}


# --- Restore ----------------------------------------------------------------------------------------------


def installation_contents() -> tuple[int, int]:
    """(accounts, stored files): a restore goes only where both are 0."""
    files = sum(1 for _ in stored_files())
    users = get_user_model()
    with connection.cursor() as cursor:
        migrated = users._meta.db_table in connection.introspection.table_names(cursor)
    return (users.objects.count() if migrated else 0), files


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:*")
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"{archive} is not a readable backup archive ({exc})") from exc


def _safe_member(info: tarfile.TarInfo) -> None:
    parts = info.name.split("/")
    if not info.isfile() or info.name.startswith("/") or ".." in parts or "" in parts:
        raise BackupError(f"the archive holds an unexpected member: {info.name!r}")
    if info.name != MANIFEST and not (
        (parts[0] == "database" and len(parts) == 2)
        or (parts[0] == "storage" and len(parts) >= 3 and parts[1] in STORAGE_ALIASES)
    ):
        raise BackupError(f"the archive holds an unexpected member: {info.name!r}")


def archive_verify(archive: Path, *, extract_database_to: Path | None = None) -> dict[str, Any]:
    """Read every member, compare it with the manifest, and return the manifest; ``BackupError`` names
    every member that is missing, extra or different."""
    seen: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with _open(archive) as tar:
            for info in tar:
                _safe_member(info)
                if info.name in seen or (info.name == MANIFEST and manifest is not None):
                    raise BackupError(f"the archive holds {info.name} twice")
                source = tar.extractfile(info)
                assert source is not None  # a regular file
                if info.name == MANIFEST:
                    manifest = json.loads(source.read())
                    continue
                if info.name.startswith("database/") and extract_database_to is not None:
                    with extract_database_to.open("wb") as out:
                        reader = _HashingReader(source)
                        shutil.copyfileobj(reader, out, CHUNK)  # type: ignore[misc]
                    seen[info.name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
                else:
                    digest, size = _sha256_of(source)
                    seen[info.name] = {"sha256": digest, "size": size}
    except (OSError, tarfile.TarError, EOFError, zlib.error, ValueError) as exc:
        raise BackupError(f"{archive} is damaged: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has no manifest this version can read")
    if sum(name.startswith("database/") for name in seen) != 1 or manifest["database"]["member"] not in seen:
        raise BackupError(f"{archive} does not hold exactly the one database its manifest names")
    expected = manifest["members"]
    problems = [f"{name}: missing" for name in sorted(set(expected) - set(seen))]
    problems += [f"{name}: not in the manifest" for name in sorted(set(seen) - set(expected))]
    problems += [
        f"{name}: checksum mismatch"
        for name in sorted(set(seen) & set(expected))
        if seen[name] != expected[name]
    ]
    if problems:
        raise BackupError("the archive does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest


def _load_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)  # type: ignore[arg-type]
    finally:
        source.close()


def _load_postgres(dump: Path, tables: dict[str, int]) -> None:
    """pg_restore replaces the tables the archive holds; tables a newer platform's migrations created in this
    (empty) database are dropped first, so that ``migrate`` can create them again after the restore."""
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names(cursor)) - set(tables)):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    env, args = _pg_env_and_args()
    connection.close()  # no session of ours holds a lock on the tables pg_restore replaces
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def _current_counts(tables: dict[str, int]) -> dict[str, int]:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        return _table_counts(cursor, [t for t in tables if t in present], connection.ops.quote_name)


def backup_restore(*, archive: Path, progress: Callable[[str], None] = lambda line: None) -> RestoreSummary:
    """Restore ``archive`` into this (empty) installation; ``BackupError`` on any refusal or mismatch."""
    vendor = _vendor()
    accounts, files = installation_contents()
    if accounts or files:
        raise BackupError(
            f"this installation is not empty ({accounts} {'account' if accounts == 1 else 'accounts'}, {files} "
            f"stored {'file' if files == 1 else 'files'}): restore only into "
            "a new installation with an empty database and empty storage"
        )
    with tempfile.TemporaryDirectory(prefix="inspiracle-restore-") as work:
        dump = Path(work) / "database"
        manifest = archive_verify(archive, extract_database_to=dump)
        progress(f"archive verified: {len(manifest['members'])} members match the manifest")
        database = manifest["database"]
        if database["vendor"] != vendor:
            raise BackupError(
                f"the archive holds a {database['vendor']} database; this installation uses {vendor}"
            )
        known = {
            f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        }
        unknown = sorted(set(database["migrations"]) - known)
        if unknown:
            raise BackupError(
                "the archive comes from a newer platform version "
                f"({manifest['platform_version']}); migrations unknown here: {', '.join(unknown[:5])}"
            )
        if vendor == "sqlite":
            _load_sqlite(dump)
        else:
            _load_postgres(dump, database["tables"])
    counts = _current_counts(database["tables"])
    wrong = [
        f"{table}: {counts.get(table, 'missing')} rows, expected {rows}"
        for table, rows in database["tables"].items()
        if counts.get(table) != rows
    ]
    if wrong:
        raise BackupError("the restored database does not match the manifest:\n  " + "\n  ".join(wrong))
    progress(f"database: {len(counts)} tables, {sum(counts.values())} rows")
    restored, size = _restore_files(archive, manifest["members"])
    progress(f"files: {restored} restored and verified")
    behind = sorted(known - set(database["migrations"]))
    return RestoreSummary(
        tables=len(counts),
        rows=sum(counts.values()),
        files=restored,
        bytes=size,
        audit=audit_verify(),
        unreadable=keyring_check(),
        migrations_behind=behind,
    )


def keyring_check() -> list[str]:
    """Decrypt one stored value of every encrypted column: what the configured key ring cannot read."""
    unreadable = []
    for model in apps.get_models():
        for column in model._meta.concrete_fields:
            if not isinstance(column, EncryptedTextField):
                continue
            values = model._default_manager.exclude(**{column.name: ""}).exclude(
                **{f"{column.name}__isnull": True}
            )
            try:
                values.values_list(column.name, flat=True).first()
            except DecryptionError as exc:
                unreadable.append(f"{model._meta.label}.{column.name}: {exc}")
    return unreadable


def _restore_files(archive: Path, expected: dict[str, Any]) -> tuple[int, int]:
    restored, total = 0, 0
    with _open(archive) as tar:
        for info in tar:
            _safe_member(info)
            if not info.name.startswith("storage/"):
                continue
            _, alias, name = info.name.split("/", 2)
            storage = storages[alias]
            source = tar.extractfile(info)
            assert source is not None
            # A seekable copy (in memory when small, else on disk) that any storage backend can save.
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
                reader = _HashingReader(source)
                shutil.copyfileobj(reader, spool, CHUNK)  # type: ignore[misc]
                spool.seek(0)
                saved = storage.save(name, File(spool, name=name))
            if saved != name:
                raise BackupError(f"{info.name}: the storage kept it as {saved!r}")
            with storage.open(name, "rb") as back:
                digest, size = _sha256_of(back)
            arrived = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
            if arrived != expected[info.name] or {"sha256": digest, "size": size} != expected[info.name]:
                raise BackupError(f"{info.name}: checksum mismatch after restoring it")
            restored, total = restored + 1, total + size
    return restored, total
