"""A certificate as a page to print and keep (WRK-10): the facts the log holds, the signed tree head, how to
verify it, and the certificate itself as plain text, so that the page alone is enough to check it offline.

Like licensing's deal PDF: reportlab, Chinese set in STSong-Light (a CID font every PDF reader brings), in the
reader's language. No QR code: the text is what a verifier types or copies.
"""

import json
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from inspiracle.works.models import Work

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("proof-body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
SMALL = ParagraphStyle(
    "proof-small", parent=BODY, fontSize=8.5, leading=12, textColor=colors.HexColor("#555")
)
TITLE = ParagraphStyle("proof-title", parent=BODY, fontSize=17, leading=22, spaceAfter=4)
HEADING = ParagraphStyle(
    "proof-heading", parent=BODY, fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=4
)
# Hex and JSON in a fixed-width face; CJK wrapping breaks them anywhere, as they have no spaces.
CODE = ParagraphStyle("proof-code", parent=BODY, fontName="Courier", fontSize=8, leading=10.5)
LINES = TableStyle(
    [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")), ("VALIGN", (0, 0), (-1, -1), "TOP")]
)


def _p(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def certificate_pdf(*, work: Work, certificate: dict[str, Any], file_name: str) -> bytes:
    leaf = json.loads(certificate["leaf"])
    head = certificate["tree_head"]
    width = A4[0] - 36 * mm
    owner = f"{work.owner.profile.display_name} (@{work.owner.username})"
    facts = [
        (_("Work"), f"{work.title} (#{work.pk})", BODY),
        (_("Owner"), f"{owner}, #{leaf['owner']}", BODY),
        (_("File"), f"{file_name} (#{leaf['file']})", BODY),
        (_("Accepted at (UTC)"), leaf["accepted_at"], CODE),
        ("SHA-256", leaf["sha256"], CODE),
        (_("Perceptual hashes"), f"pHash {leaf['phash']}  dHash {leaf['dhash']}", CODE),
        (_("Perceptual keys"), " ".join(leaf["keys"]), CODE),
        (_("Leaf index"), str(certificate["leaf_index"]), CODE),
        (_("Leaf hash"), certificate["leaf_hash"], CODE),
    ]
    signed = [
        (_("Tree size"), str(head["tree_size"]), CODE),
        (_("Root hash"), head["root_hash"], CODE),
        (_("Signed at (UTC)"), head["timestamp"], CODE),
        (_("Key id"), head["key_id"], CODE),
        (_("Ed25519 signature"), head["signature"], CODE),
    ]
    story: list[Flowable] = [
        _p(_("Proof of creation"), TITLE),
        _p(
            _(
                "Inspiracle appended this file's fingerprint to its append-only Merkle log when it accepted "
                "the file, and signed the log's root. Anyone can check this certificate offline."
            ),
            SMALL,
        ),
        _p(_("The file"), HEADING),
        _table(facts, width),
        _p(_("The signed tree head"), HEADING),
        _table(signed, width),
        _p(_("How to verify"), HEADING),
        _p(
            _(
                "Save the certificate below (or the JSON file you downloaded with this page) as "
                "certificate.json and run:"
            )
        ),
        _p("./run verify-proof certificate.json --image ORIGINAL --key KEY.pem", CODE),
        _p(
            _(
                "KEY.pem is the platform's public key, published at /api/proofs/keys. The check needs no "
                "network: the leaf hash, the inclusion proof up to the signed root, the Ed25519 signature and, "
                "with the original file, its SHA-256. The method is described byte by byte in "
                "docs/proof-of-creation.md."
            ),
            SMALL,
        ),
        _p(_("The certificate (JSON)"), HEADING),
        _p(json.dumps(certificate, sort_keys=True), CODE),
    ]
    out = BytesIO()
    # The document's title names the leaf only: no personal data in the file's metadata.
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Inspiracle proof of creation, leaf {certificate['leaf_index']}",
        author="Inspiracle",
        creator="Inspiracle",
    ).build(story)
    return out.getvalue()


def _table(rows: list[tuple[str, str, ParagraphStyle]], width: float) -> Table:
    cells = [[_p(label), _p(value, style)] for label, value, style in rows]
    return Table(cells, colWidths=[width * 0.28, width * 0.72], style=LINES)
