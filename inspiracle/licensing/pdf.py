"""A deal's summary as a PDF, for each party to print and sign (COM-2).

Pure Python (reportlab). Chinese text is set in STSong-Light, one of the CID fonts every PDF reader brings with
it: the file names the font instead of embedding it, so nothing is downloaded or shipped for it. The text is in
the reader's language, like the page it comes from.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from inspiracle.licensing.deal_selectors import DealSummary
from inspiracle.licensing.services.deals import ContactCard

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# CJK wrapping breaks lines between any two characters: Chinese has no spaces to break at.
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=12, textColor=colors.HexColor("#555555"))
TITLE = ParagraphStyle("title", parent=BODY, fontSize=17, leading=22, spaceAfter=4)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=4)
WARNING = ParagraphStyle("warning", parent=BODY, textColor=colors.HexColor("#c0262d"))
LINES = TableStyle(
    [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
)
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0eff2")),
    ]
)


def _p(text, style=BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _card(title: str, card: ContactCard | None) -> list[Paragraph]:
    if card is None:
        return [_p(title, HEADING), _p(_("Contact details are not shared: the deal was annulled."), SMALL)]
    return [
        _p(title, HEADING),
        _p(f"{card.name} (@{card.username})"),
        _p(f"{_('Mailing address')}: {card.mailing_address}"),
        _p(f"{_('Phone')}: {card.phone or '—'}"),
        _p(f"{_('Email')}: {card.email or '—'}"),
    ]


def _signature() -> list:
    return [
        _p(_("Signature or seal")),
        Spacer(1, 14 * mm),
        _p("_" * 30),
        _p(_("Date of signing")),
        Spacer(1, 6 * mm),
    ]


def _agreements(versions) -> str:
    return "; ".join(f"{v.document.title} v{v.number}" for v in versions) or "—"


def deal_pdf(summary: DealSummary, *, licensor: ContactCard | None, licensee: ContactCard | None) -> bytes:
    deal = summary.deal
    width = A4[0] - 36 * mm
    story: list[Flowable] = [
        _p(_("Licence deal %(reference)s") % {"reference": deal.reference}, TITLE),
        _p(
            _("Agreed on Inspiracle on %(when)s (licensing request %(request)s).")
            % {"when": _when(deal.accepted_at), "request": deal.request.reference},
            SMALL,
        ),
        _p(
            _(
                "Printed %(when)s. The deal record on Inspiracle is the reference: /licensing/deals/%(reference)s/"
            )
            % {"when": _when(timezone.now()), "reference": deal.reference},
            SMALL,
        ),
    ]
    if deal.is_annulled:
        story.append(
            _p(
                _("Annulled on %(when)s. Reason: %(reason)s")
                % {"when": _when(deal.annulled_at), "reason": deal.annul_reason},
                WARNING,
            )
        )
    halves = [width / 2] * 2
    story.append(
        Table(
            [[_card(_("Licensor (creator)"), licensor), _card(_("Licensee"), licensee)]],
            colWidths=halves,
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
        )
    )
    story.append(_p(_("Works"), HEADING))
    story += [_p(f"{n}. {shown.title} (#{shown.work.pk})") for n, shown in enumerate(summary.works, start=1)]
    story.append(_p(_("Agreed terms"), HEADING))
    terms = [[_p(label), _p(value)] for label, value in summary.terms]
    story.append(Table(terms, colWidths=[width * 0.3, width * 0.7], style=LINES))
    story.append(_p(_("Register entries"), HEADING))
    rows = [[_p(_("Work")), _p(_("Exclusive")), _p(_("Scope")), _p(pgettext("licence terms", "Term"))]]
    for line in summary.grants:
        grant = line.grant
        term = f"{grant.starts_on} – {grant.ends_on}"
        if grant.revoked_at:
            term += "\n" + _("revoked %(when)s") % {"when": _when(grant.revoked_at)}
        exclusive = _("Yes") if grant.exclusive else _("No")
        rows.append([_p(line.title), _p(exclusive), _p("\n".join(line.scope.values())), _p(term)])
    story.append(Table(rows, colWidths=[width * 0.3, width * 0.14, width * 0.34, width * 0.22], style=GRID))
    story += [
        _p(_("Agreements each party had accepted"), HEADING),
        _p(f"{_('Licensor')}: {_agreements(summary.licensor_agreements)}"),
        _p(f"{_('Licensee')}: {_agreements(summary.licensee_agreements)}"),
        Spacer(1, 8 * mm),
        Table(
            [[_p(_("Licensor"), HEADING), _p(_("Licensee"), HEADING)], [_signature(), _signature()]],
            colWidths=halves,
        ),
    ]
    out = BytesIO()
    # The document's title names the deal only: no personal data in the file's metadata.
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Inspiracle {deal.reference}",
        author="Inspiracle",
        creator="Inspiracle",
    )
    document.build(story)
    return out.getvalue()
