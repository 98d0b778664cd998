"""The first administrator of a production install (UX-5): `inspiracle create-admin`."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from inspiracle.accounts.models import RegistrationInfo, User
from inspiracle.agreements.models import Consent
from inspiracle.agreements.selectors import required_versions_in_force
from inspiracle.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "a long admin passphrase 42"
DETAILS = [
    "--legal-name",
    "王 Root Wang",
    "--mobile",
    "13800138999",
    "--mailing-address",
    "北京市东城区 1 号",
]


def create_admin(monkeypatch, *args, stdin=f"{PASSWORD}\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # not a terminal: the password is read from it
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out)
    return out.getvalue()


def test_the_command_makes_a_whole_administrator_with_registration_consents_and_audit(
    agreements, monkeypatch
):
    """REQ: UX-5, REG-1, REG-2, REG-5, AUD-1
    GIVEN a new install with the agreements in force and no user WHEN the operator runs create-admin with
    --agree and the password on standard input THEN an admin exists who can sign in and use the console."""
    out = create_admin(monkeypatch, "root", *DETAILS, "--email", "root@example.com", "--agree")
    assert "Administrator 'root' created" in out
    root = User.objects.get(username="root")
    assert root.staff_role == "admin" and root.check_password(PASSWORD)
    info = RegistrationInfo.objects.get(user=root)
    assert (info.legal_name, info.mobile, info.email) == (
        "王 Root Wang",
        "+8613800138999",
        "root@example.com",
    )
    consents = Consent.objects.filter(user=root)
    assert {c.version_id for c in consents} == {v.pk for v in required_versions_in_force()}
    assert all(c.age_attested for c in consents)
    role = AuditEvent.objects.get(action="role.changed", target_id=str(root.pk))
    assert role.actor_id is None and role.data == {"from": "", "to": "admin", "by": "operator command"}
    assert role.reason == "first administrator of this installation"
    client = Client()
    assert client.login(username="root", password=PASSWORD)
    assert client.get("/staff/users/").status_code == 200


def test_without_agreeing_nothing_is_created_and_the_operator_is_told_what_to_read(agreements, monkeypatch):
    with pytest.raises(CommandError, match="agree to the agreements in force") as refused:
        create_admin(monkeypatch, "root", *DETAILS)
    assert "/agreements/user-service-agreement/v1/" in str(refused.value) or "--agree" in str(refused.value)
    assert not User.objects.exists()


def test_before_any_agreement_is_published_the_operator_is_told_to_publish_them(db, monkeypatch):
    with pytest.raises(CommandError, match="load-agreements"):
        create_admin(monkeypatch, "root", *DETAILS, "--agree")
    assert not User.objects.exists()


def test_bad_details_are_named_and_nothing_is_left_behind(agreements, monkeypatch):
    with pytest.raises(CommandError) as refused:
        create_admin(
            monkeypatch,
            "Root!",
            "--legal-name",
            "x",
            "--mobile",
            "12",
            "--mailing-address",
            "y",
            "--agree",
            stdin="short\n",
        )
    message = str(refused.value)
    assert "username:" in message and "mobile:" in message and "password:" in message
    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["account.registered", "role.changed"]).exists()


def test_an_empty_password_on_standard_input_is_refused(agreements, monkeypatch):
    with pytest.raises(CommandError, match="first line of standard input"):
        create_admin(monkeypatch, "root", *DETAILS, "--agree", stdin="")


def test_django_createsuperuser_points_to_create_admin_instead_of_crashing(agreements):
    """It used to end in AttributeError (no create_superuser) and would make an account without
    registration information or consents."""
    with pytest.raises(CommandError, match="create-admin"):
        call_command("createsuperuser", "--noinput", "--username", "root", stdout=io.StringIO())
    assert not User.objects.exists()


def test_a_production_install_gets_its_first_administrator_from_the_command_line(tmp_path):
    """REQ: UX-5, OPS-2: PRODUCTION=true, a fresh database: migrate, publish the agreements, create-admin."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        PRODUCTION="true",
        INSPIRACLE_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        SECRET_KEY="production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        PII_KEYRING=os.environ.get("PII_KEYRING")
        or '{"active": "t1", "keys": {"t1": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ="},'
        ' "index_key": "dGVzdC1pbmRleC1rZXktdGVzdC1pbmRleC1rZXktMzI="}',
        PROOF_SIGNING_KEY=os.environ["PROOF_SIGNING_KEY"],
        PAYMENT_WEBHOOK_SECRET=os.environ["PAYMENT_WEBHOOK_SECRET"],
        PAYMENT_TEST_MODE="true",
        CLAMD_ADDRESS="tcp://127.0.0.1:9",
        ALLOWED_HOSTS="inspiracle.example",
    )

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "inspiracle.cli", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )

    assert run("migrate").returncode == 0
    assert run("load-agreements").returncode == 0
    made = run("create-admin", "root", *DETAILS, "--agree", stdin=f"{PASSWORD}\n")
    assert made.returncode == 0, made.stderr[-2000:]
    assert "Administrator 'root' created" in made.stdout
    crashed = run("manage", "createsuperuser", "--noinput", "--username", "other")
    assert crashed.returncode == 1 and "create-admin" in crashed.stderr and "Traceback" not in crashed.stderr
