import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def test_the_chain_verifies_and_the_command_says_so(ana, capsys):
    """REQ: AUD-1"""
    report = audit_verify()
    assert report.intact and report.checked == AuditEvent.objects.count() > 0
    call_command("audit_verify")
    assert "audit log intact" in capsys.readouterr().out


def test_the_log_refuses_updates_at_the_database(ana):
    """REQ: AUD-1"""
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(reason="rewritten")


def _tamper(sql: str, params: list) -> None:
    """An attacker with database access: triggers dropped, a row changed behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute(sql, params)


def test_an_edited_row_is_named_by_the_verify_command(ana):
    """REQ: AUD-1"""
    target = AuditEvent.objects.order_by("seq")[2]
    _tamper("UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", ["mallory", target.seq])
    with pytest.raises(CommandError, match=f"BROKEN at event #{target.seq}: its content does not match"):
        call_command("audit_verify")


def test_a_removed_row_is_named_by_the_verify_command(ana):
    """REQ: AUD-1"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    assert audit_verify().broken_seq == 2
    last = AuditEvent.objects.order_by("-seq").first().seq
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    assert audit_verify().broken_seq == 2


def test_a_truncated_log_is_detected(ana):
    """REQ: AUD-1"""
    last = AuditEvent.objects.order_by("-seq").first().seq
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    report = audit_verify()
    assert report.broken_seq == last and "removed" in report.problem


def test_an_event_is_written_in_the_same_transaction_as_its_change(agreements):
    """REQ: AUD-1"""
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.event")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert audit_verify().intact


def test_legal_officers_and_admins_read_the_log_moderators_and_users_do_not(ana, mo, lee, ada, client_for):
    """REQ: AUD-1, MOD-7"""
    assert client_for(lee).get("/staff/audit/").status_code == 200
    assert client_for(ada).get("/api/staff/audit?action=account.").status_code == 200
    assert client_for(mo).get("/staff/audit/").status_code == 403
    assert client_for(ana).get("/staff/audit/").status_code == 404
    assert client_for(ana).get("/api/staff/audit").status_code == 404
    events = client_for(ada).get("/api/staff/audit?action=account.registered").json()["items"]
    assert {e["actor_label"] for e in events} >= {"ana", "mo", "lee"}


def test_every_event_records_where_the_request_came_from(agreements):
    """REQ: AUD-1"""
    Client(REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Probe/2").post(
        "/accounts/signin/", {"username": "ghost", "password": "x"}
    )
    event = AuditEvent.objects.filter(action="signin.failed").get()
    assert (event.ip, event.user_agent) == ("198.51.100.9", "Probe/2")
