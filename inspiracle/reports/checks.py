"""What a report must contain before it is accepted (RPT-3, RPT-4, RPT-5): each rule says exactly what is
missing or wrong, per field, so that the reporter can complete the same report."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.core.errors import ApplicationError
from inspiracle.reports.citations import cited_work_proves_right, proof_proves_right
from inspiracle.reports.models import Category, Evidence, PartyKind, Report, ReportItem
from inspiracle.works.models import Work

# The categories whose reports prove the right with a document or a cited work of the reporter's own.
PROOF_CATEGORIES = (Category.IP, Category.IMPERSONATION)
# Words that say a statement is bad without saying what is false about it (RPT-5), in both languages.
VAGUE_LABELS = [
    "negative",
    "not objective",
    "unobjective",
    "biased",
    "one-sided",
    "untrue",
    "not true",
    "false",
    "fake",
    "lies",
    "lie",
    "misleading",
    "inaccurate",
    "malicious",
    "harmful",
    "unfair",
    "offensive",
    "insulting",
    "rumor",
    "rumour",
    "slander",
    "slanderous",
    "defamation",
    "defamatory",
    "libel",
    "libellous",
    "libelous",
    "bad",
    "wrong",
    "负面",
    "不客观",
    "不实",
    "虚假",
    "失实",
    "片面",
    "恶意",
    "诽谤",
    "谣言",
    "造谣",
    "不真实",
    "不公正",
    "误导",
    "有害",
    "抹黑",
    "不良",
    "不妥",
    "污蔑",
    "诬蔑",
    "侮辱",
    "中伤",
    "歪曲",
    "捏造",
    "编造",
    "胡说",
    "与事实不符",
    "不符合事实",
    "假的",
]
# A demand is not a ground either: "请删除" says what the reporter wants, not what is false (RPT-5).
DEMANDS = [
    "please",
    "delete",
    "remove",
    "take down",
    "takedown",
    "take it down",
    "ban",
    "block",
    "immediately",
    "asap",
    "now",
    "请",
    "删除",
    "删掉",
    "删了",
    "下架",
    "撤下",
    "屏蔽",
    "封号",
    "处理",
    "立即",
    "马上",
    "尽快",
    "谢谢",
    "thanks",
    "thank you",
]


def _words(words: list[str]) -> re.Pattern:
    """Longest first, so "not objective" goes before "not"; Latin words only whole, never inside another."""
    parts = sorted(words, key=len, reverse=True)
    return re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in parts), re.I)


_VAGUE = _words(VAGUE_LABELS + DEMANDS)
_FILLER = re.compile(
    r"[\s\W_]|\b(it|its|is|was|this|that|the|a|an|and|or|very|content|statement|post|work|are|i|we|me|you|of|"
    r"to|for|because|totally|completely|all|these|those|must|be|should|kindly|just)\b"
    r"|内容|这个|这|是|很|非常|的|和|及|该|此|作品|完全|全部|都|纯属|属于|因为|我|您|你|要求|希望|必须|一下|吧|了",
    re.I,
)


def only_vague_labels(text: str) -> bool:
    """True when ``text`` says nothing but labels like "negative" or "不客观", or demands like "请删除":
    nothing specific is left once they and filler words are taken out."""
    text = (text or "").strip()
    if not text:
        return False
    rest = _FILLER.sub("", _VAGUE.sub(" ", text))
    return len(rest) < 2


def resolve_address(url: str) -> tuple[Work | None, User | None]:
    """RPT-4: the work or profile a page address of this platform shows. Private and missing content give the
    same answer, so that a report never reveals that a private work exists."""
    # The site's own names: its public address and the hosts it serves (a wildcard names nothing).
    ours = {urlsplit(settings.SITE_URL).hostname} | {h.lower().strip("[]") for h in settings.ALLOWED_HOSTS}
    ours -= {"*"}
    raw = (url or "").replace("\x00", "").strip()
    try:
        parts = urlsplit(raw if "://" in raw else f"//{raw}" if raw and not raw.startswith("/") else raw)
        host = parts.hostname
    except ValueError:  # "http://[oops/": not an address at all
        parts, host = None, "?"
    if parts is None or parts.scheme not in ("", "http", "https") or (host and host.lower() not in ours):
        raise ApplicationError(
            _(
                "“%(url)s” is not an address on this platform. Give the address of a work or profile page here."
            )
            % {"url": raw[:200]}
        )
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    gone = ApplicationError(
        _(
            "“%(url)s” does not show content anyone can see here: it does not exist or no longer exists. Check the address."
        )
        % {"url": raw[:200]}
    )
    if match is None or match.view_name not in ("works:detail", "profile", "portfolio"):
        raise ApplicationError(
            _(
                "“%(url)s” is not the page of a work or a profile. Open the work or profile and copy its address."
            )
            % {"url": raw[:200]}
        )
    if match.view_name == "works:detail":
        work = Work.objects.select_related("owner").filter(pk=match.kwargs["work_id"]).first()
        if work is None or not work.is_public:
            raise gone
        return work, None
    account = User.objects.filter(username=match.kwargs["username"].lower(), is_active=True).first()
    if account is None:
        raise gone
    return None, account


def missing_materials(report: Report) -> dict[str, list[str]]:
    """Every material ``report`` still lacks for its category (RPT-3, RPT-5), by field."""
    missing: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        missing.setdefault(field, []).append(message)

    now = timezone.now()
    kinds = set(report.evidence.values_list("kind", flat=True))
    profile_ok = report.profile is not None and report.profile.usable(now)
    if report.category == Category.IP and not report.ip_kind:
        need("ip_kind", _("Say which right: copyright, trademark or patent."))
    items = list(report.items.all())
    if not items:
        need(
            "addresses",
            _("Give at least one page address on this platform that shows the infringing content."),
        )
    for index, item in enumerate(items, start=1):
        if not item.content.strip():
            need(f"items.{index}.content", _("Say which content on this page infringes."))
        if not item.right.strip():
            need(f"items.{index}.right", _("Say which of your rights it infringes."))
        if report.category == Category.DEFAMATION:
            if not item.statement.strip():
                need(f"items.{index}.statement", _("Quote the statement on this page that you say is false."))
            elif only_vague_labels(item.statement) or only_vague_labels(item.right):
                need(
                    f"items.{index}.statement",
                    _(
                        "Labels such as “false” or “defamatory” and demands such as “please delete” are not grounds. "
                        "Quote the exact statement from the reported content that you say is false, and attach "
                        "proof of the true facts."
                    ),
                )
    if any(item.remedy == ReportItem.Remedy.LICENCE for item in items) and not report.licence_offer:
        # RPT-15: a licence instead of a takedown is offered on stated terms.
        need("licence_offer", _("Give the terms of the licence you offer instead of a takedown."))
    if not report.description.strip():
        need(
            "description",
            _("Describe the infringement: what the content is and how it infringes your rights."),
        )
    elif only_vague_labels(report.description):
        need(
            "description",
            _(
                "Labels such as “false” or “defamatory” and demands such as “please delete” are not grounds. Say "
                "which facts are false or which right is infringed, and how."
            ),
        )
    if not profile_ok:
        for field, label in (
            (
                "name",
                _(
                    "Give the rights holder's name (a person's real name or the organization's registered name)."
                ),
            ),
            ("mailing_address", _("Give a mailing address.")),
            ("phone", _("Give a phone number.")),
        ):
            if not getattr(report, field).strip():
                need(field, label)
        if report.party_kind == PartyKind.PERSON and Evidence.Kind.IDENTITY not in kinds:
            need("identity", _("Attach a copy of the ID card or passport."))
        if report.party_kind == PartyKind.ORGANIZATION and Evidence.Kind.CERTIFICATE not in kinds:
            need("certificate", _("Attach the organization's registration certificate."))
    if not report.email.strip():
        need("email", _("Give an email address."))
    proof_cited = profile_ok or cited_work_proves_right(report) or proof_proves_right(report)
    if report.category == Category.DEFAMATION and Evidence.Kind.FALSITY not in kinds:
        need("falsity", _("Attach proof that the quoted statements are false."))
    # Privacy: the identity document is the proof that the information is the reporter's own.
    needs_proof = report.category in PROOF_CATEGORIES and not proof_cited
    if needs_proof and Evidence.Kind.PROOF not in kinds:
        need(
            "proof",
            _(
                "Attach proof of the right (a certificate, a registration, an earlier publication) or cite your "
                "work on this platform."
            ),
        )
    if report.acting == Report.Acting.AGENT and Evidence.Kind.AUTHORIZATION not in kinds:
        need("authorization", _("Attach the rights holder's written authorization for you to act for them."))
    for field, message in (
        ("declared_holder_at", _("Confirm that you are the rights holder or authorized by them.")),
        ("declared_infringes_at", _("Confirm that the content infringes the right you name.")),
        ("declared_liability_at", _("Confirm that you bear legal liability if the report is untrue.")),
    ):
        if getattr(report, field) is None:
            need(field.removesuffix("_at"), message)
    return missing
