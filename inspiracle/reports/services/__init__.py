"""Reports' state changes: filing and completing (intake), deciding and purging (decisions), counter-notices
(counters), a licence instead of a takedown (licences, settling)."""

from inspiracle.pipeline.documents import Upload
from inspiracle.reports.services.counters import counter_notice_decide, counter_notice_file
from inspiracle.reports.services.decisions import report_decide, reports_purge, strikes_escalate
from inspiracle.reports.services.intake import (
    ReportInput,
    email_from_pass,
    email_proof_confirm,
    email_proof_start,
    report_complete,
    report_file,
)

__all__ = [
    "ReportInput",
    "Upload",
    "counter_notice_decide",
    "counter_notice_file",
    "email_from_pass",
    "email_proof_confirm",
    "email_proof_start",
    "report_complete",
    "report_decide",
    "report_file",
    "reports_purge",
    "strikes_escalate",
]
