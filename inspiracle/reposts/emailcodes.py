"""A visitor proves an e-mail address before asking to repost (WRK-12), the way reporters do (RPT-1): the rules
are accounts' EmailCodes; the codes live in a table of our own, since reports sits above reposts."""

from inspiracle.accounts.emailcodes import EmailCodes
from inspiracle.reposts.models import RepostEmailCode

CODE_ATTEMPTS = 5

EMAIL_CODES = EmailCodes(
    model=RepostEmailCode,
    scope="reposts",
    salt="reposts.email-pass",
    outbox_kind="reposts.code",
    per_address_hour=5,
    per_network_hour=20,
    attempts=CODE_ATTEMPTS,
)
repost_email_start = EMAIL_CODES.start
repost_email_confirm = EMAIL_CODES.confirm
email_from_pass = EMAIL_CODES.email_from_pass
