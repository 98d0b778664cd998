import os
import sqlite3
import subprocess
from contextlib import closing

import pytest
from django.conf import settings
from django.db import connection

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.core import crypto
from inspiracle.core.testing import make_user

KNOWN = {
    "legal_name": "Zhang Known-Plaintext 张明文",
    "mailing_address": "PlaintextStreet 42 明文路",
    "mobile": "13912349876",
    "email": "known.plaintext@example.com",
}


def raw_database_dump() -> bytes:
    if connection.vendor == "sqlite":
        connection.close()
        name = settings.DATABASES["default"]["NAME"]
        # Copy every committed page into the main file and empty the WAL, which otherwise keeps old versions
        # of pages while other connections (a live server's threads) stay open.
        with closing(sqlite3.connect(name)) as flusher:
            busy, _frames, _copied = flusher.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert not busy, "a connection in a read transaction kept the WAL from being emptied"
        # Read the files in a child process: closing a descriptor of the database file in this process would
        # drop every POSIX lock SQLite holds on it here, and a worker process could then delete the WAL index
        # under this process's other connections (later tests fail with "disk I/O error").
        files = [name + suffix for suffix in ("", "-wal") if os.path.exists(name + suffix)]
        return subprocess.run(["cat", *files], check=True, capture_output=True).stdout
    params = connection.get_connection_params()
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            params.get("host") or "127.0.0.1",
            "-p",
            str(params.get("port") or 5432),
            "-U",
            params.get("user") or "postgres",
            "--data-only",
            connection.settings_dict["NAME"],
        ],
        check=True,
        capture_output=True,
    )
    return dump.stdout


@pytest.mark.django_db(transaction=True)
def test_the_raw_database_holds_no_plaintext_personal_information(agreements):
    """REQ: PRV-1
    GIVEN a user registered with known personal information WHEN the raw database (SQLite file, or pg_dump)
    is searched THEN none of it appears, while the application reads it back."""
    user = make_user(
        "plain",
        legal_name=KNOWN["legal_name"],
        mailing_address=KNOWN["mailing_address"],
        mobile=KNOWN["mobile"],
        email=KNOWN["email"],
    )
    assert RegistrationInfo.objects.get(user=user).legal_name == KNOWN["legal_name"]
    raw = raw_database_dump()
    assert b"plain" in raw  # the dump is real: the (public) username is there
    for value in [*KNOWN.values(), "+8613912349876", "张明文", "明文路"]:
        assert value.encode() not in raw, value


@pytest.mark.django_db
def test_a_value_that_cannot_be_decrypted_is_an_error_never_ciphertext(ana):
    """REQ: PRV-1"""
    RegistrationInfo.objects.filter(user=ana).update(legal_name="x")  # a valid-looking write of our own
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_registrationinfo SET legal_name = %s WHERE user_id = %s",
            ["enc1:k9:AAAA", ana.pk],
        )
    with pytest.raises(crypto.DecryptionError):
        RegistrationInfo.objects.get(user=ana)
    from django.test import Client

    client = Client()
    client.force_login(ana)
    response = client.get("/accounts/me/registration/")
    assert response.status_code == 500
    assert b"enc1:" not in response.content
    assert "could not be read" in response.content.decode()


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_column_does_not_decrypt(ana):
    """REQ: PRV-1"""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_registrationinfo SET mailing_address = legal_name WHERE user_id = %s", [ana.pk]
        )
    with pytest.raises(crypto.DecryptionError):
        RegistrationInfo.objects.get(user=ana)


@pytest.mark.django_db
def test_keys_rotate_and_old_values_are_re_encrypted(ana, settings, tmp_path):
    """REQ: PRV-1"""
    from django.core.management import call_command

    ring_file = tmp_path / "ring.json"
    ring_file.write_text(settings.PII_KEYRING)
    call_command("pii_keys", "add-key", str(ring_file), "t2")
    settings.PII_KEYRING = ring_file.read_text()
    assert RegistrationInfo.objects.get(user=ana).legal_name == "ana 真名"  # old key still reads
    call_command("pii_keys", "rotate")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_name, mobile FROM accounts_registrationinfo WHERE user_id = %s", [ana.pk]
        )
        stored = cursor.fetchone()
    assert all(crypto.key_id_of(value) == "t2" for value in stored)
    assert RegistrationInfo.objects.get(user=ana).legal_name == "ana 真名"
    assert RegistrationInfo.objects.filter(mobile_index=ana.registration.mobile_index).exists()
