"""What the audit log records of messaging (AUD-1, MOD-8): thread and message ids, never what was written."""

from enum import StrEnum


class Action(StrEnum):
    THREAD_STARTED = "thread.started"
    THREAD_CLOSED = "thread.closed"
    MESSAGE_SENT = "message.sent"
    MESSAGE_HIDDEN = "message.hidden"
    DIRECT_SETTING = "messaging.direct_setting"
    REPORT_FILED = "thread_report.filed"
    REPORT_DECIDED = "thread_report.decided"
    THREAD_REVIEWED = "thread.reviewed"  # staff read a reported thread (MOD-8)
