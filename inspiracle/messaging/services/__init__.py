"""Messaging's state changes (COM-7, MOD-5): threads and messages, and abuse reports about them."""

from inspiracle.messaging.services.abuse import (
    attachment_review_open,
    message_hide,
    thread_report,
    thread_report_decide,
    thread_review_open,
)
from inspiracle.messaging.services.threads import (
    direct_messages_set,
    direct_thread_open,
    message_send,
    thread_close,
    thread_link,
    thread_mark_read,
    thread_start,
)

__all__ = [
    "attachment_review_open",
    "direct_messages_set",
    "direct_thread_open",
    "message_hide",
    "message_send",
    "thread_close",
    "thread_link",
    "thread_mark_read",
    "thread_report",
    "thread_report_decide",
    "thread_review_open",
    "thread_start",
]
