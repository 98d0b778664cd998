"""Staff roles and what each may do (MOD-7: least privilege). One table, read by every entry point."""

from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound, PermissionDenied

STAFF_CONSOLE = "staff.console"
AUDIT_READ = "audit.read"
AGREEMENTS_PUBLISH = "agreements.publish"
ROLES_MANAGE = "roles.manage"
NAMES_MANAGE = "names.manage"
ACCOUNTS_VERIFY = "accounts.verify"
IDENTITY_DOCUMENTS_READ = "identity_documents.read"  # certificate scans, ID copies: never moderators
PII_READ = "pii.read"  # registration information (legal name, address, phones, email): never moderators
SANCTIONS_APPLY = "sanctions.apply"  # warnings, restrictions, suspensions
SANCTIONS_SEVERE = "sanctions.severe"  # termination and reclaiming an impersonating account
REPORTS_HANDLE = "reports.handle"  # infringement reports, their evidence, counter-notices (RPT-7, RPT-10)
SIGNIN_LOCKS_CLEAR = "signin_locks.clear"  # lift an account's sign-in slow-downs and lockouts (REG-4)
LICENSING_OVERSEE = "licensing.oversee"  # every deal, the register, annulments, the contact-disclosure log
SHOP_OPERATIONS = "shop.operations"  # orders through production and shipping, refunds, payouts (COM-5)
DISCLOSURE_RECORD = "disclosure.record"  # record state authorities' requests, read them (PRV-5)
DISCLOSURE_APPROVE = "disclosure.approve"  # approve or reject another officer's request (PRV-5)

CAPABILITIES: dict[str, frozenset[str]] = {
    "moderator": frozenset({STAFF_CONSOLE, SANCTIONS_APPLY}),
    "legal_officer": frozenset(
        {
            STAFF_CONSOLE,
            AUDIT_READ,
            ACCOUNTS_VERIFY,
            IDENTITY_DOCUMENTS_READ,
            PII_READ,
            SANCTIONS_APPLY,
            SANCTIONS_SEVERE,
            REPORTS_HANDLE,
            SIGNIN_LOCKS_CLEAR,
            LICENSING_OVERSEE,
            DISCLOSURE_RECORD,
            DISCLOSURE_APPROVE,
        }
    ),
    "admin": frozenset(
        {
            STAFF_CONSOLE,
            AUDIT_READ,
            AGREEMENTS_PUBLISH,
            ROLES_MANAGE,
            NAMES_MANAGE,
            ACCOUNTS_VERIFY,
            IDENTITY_DOCUMENTS_READ,
            PII_READ,
            SANCTIONS_APPLY,
            SANCTIONS_SEVERE,
            REPORTS_HANDLE,
            SIGNIN_LOCKS_CLEAR,
            LICENSING_OVERSEE,
            SHOP_OPERATIONS,
            DISCLOSURE_RECORD,
            DISCLOSURE_APPROVE,
        }
    ),
}


def has_capability(user, capability: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.staff_role, frozenset())


def require_capability(user, capability: str) -> None:
    """Refuse an action a user's role does not allow. Staff areas answer "not found" to non-staff, so
    their existence is not advertised; staff without the right get a plain refusal."""
    if has_capability(user, capability):
        return
    if not has_capability(user, STAFF_CONSOLE):
        raise NotFound(_("This page does not exist."))
    raise PermissionDenied(_("Your staff role does not allow this. Ask an administrator if you need it."))
