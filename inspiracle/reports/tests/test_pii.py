"""What a report leaves in the database: no personal information in clear, not even in a file's name (PRV-1,
RPT-10)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from inspiracle.accounts.tests.test_pii import raw_database_dump
from inspiracle.core.testing import make_user
from inspiracle.reports.models import Evidence
from inspiracle.reports.services import ReportInput, Upload, report_decide, report_file, reports_purge
from inspiracle.reports.tests.test_flow import PDF, _fields

ID_NUMBER = "110101199003078888"
FILE_NAME = f"身份证_{ID_NUMBER}.pdf"


@pytest.mark.django_db(transaction=True)
def test_a_documents_file_name_is_never_in_the_raw_database_and_goes_with_the_purge(
    lee, published_work, settings, django_capture_on_commit_callbacks
):
    """REQ: PRV-1, RPT-10
    GIVEN a report whose identity document is named after the reporter's ID number
    WHEN the raw database (SQLite file, or pg_dump) is searched, before and after the documents are purged
    THEN the name is never there in clear; staff read it back until the purge, which empties it too."""
    settings.REPORT_DOCUMENTS_RETENTION_DAYS = 30
    reporter = make_user("rita", email="rita@example.com")
    files = [Upload("identity", FILE_NAME, PDF), Upload("proof", "sketches.pdf", PDF)]
    data = {**_fields(published_work()), "files": files}
    report = report_file(reporter=reporter, data=ReportInput(category="ip", **data))
    report_decide(actor=lee, report=report, uphold=False, reasons="No proof of the right.")
    assert Evidence.objects.get(report=report, kind="identity").name == FILE_NAME
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM reports_evidence WHERE report_id = %s AND kind = %s", [report.pk, "identity"]
        )
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:")
    raw = raw_database_dump()
    assert stored.encode() in raw  # the dump is real: the ciphertext is there
    assert ID_NUMBER.encode() not in raw and FILE_NAME.encode() not in raw

    with (
        time_machine.travel(timezone.now() + timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reports_purge() == 2
    assert Evidence.objects.get(report=report, kind="identity").name == ""
    assert stored.encode() not in raw_database_dump()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_names_already_stored_and_empties_the_purged_ones(lee):
    """REQ: PRV-1, RPT-10
    GIVEN documents stored before names were encrypted, one of them already purged
    WHEN the migration runs THEN the kept name is encrypted (and reads back), the purged one is empty."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("reports", "0002_email_proof_ip")])
    old = executor.loader.project_state([("reports", "0002_email_proof_ip")]).apps
    report = old.get_model("reports", "Report").objects.create(
        reference="R-OLD00001", category="ip", email=""
    )
    documents = old.get_model("reports", "Evidence").objects
    fields = {"report_id": report.pk, "kind": "identity", "content_type": "application/pdf", "size": 1}
    kept = documents.create(name=FILE_NAME, sha256="a" * 64, **fields)
    purged = documents.create(name=FILE_NAME, sha256="b" * 64, purged_at=timezone.now(), **fields)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Evidence.objects.get(pk=kept.pk).name == FILE_NAME
    assert Evidence.objects.get(pk=purged.pk).name == ""
    assert FILE_NAME.encode() not in raw_database_dump()
