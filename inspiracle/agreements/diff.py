"""A highlighted difference between two versions of an agreement (AGR-2)."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Chinese has no spaces: compare it character by character; other text word by word.
_TOKENS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|\w+|\s+|[^\w\s]", re.UNICODE)
CONTEXT = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "equal", "delete", "insert", "change", "skip"
    old_no: int | None
    new_no: int | None
    html: SafeString


def _inline(old: str, new: str) -> tuple[str, str]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_html: list[str] = []
    new_html: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_html.append(before)
            new_html.append(after)
            continue
        if before:
            old_html.append(f"<del>{before}</del>")
        if after:
            new_html.append(f"<ins>{after}</ins>")
    return "".join(old_html), "".join(new_html)


def text_diff(old_text: str, new_text: str, context: int = CONTEXT) -> list[DiffLine]:
    old, new = old_text.splitlines(), new_text.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("skip", None, None, mark_safe("…")))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [
                    DiffLine("equal", i1 + k + 1, j1 + k + 1, escape(old[i1 + k])) for k in range(i2 - i1)
                ]
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                before, after = _inline(old[i1 + k], new[j1 + k])
                lines.append(DiffLine("delete", i1 + k + 1, None, mark_safe(before)))
                lines.append(DiffLine("insert", None, j1 + k + 1, mark_safe(after)))
            lines += [
                DiffLine("delete", i + 1, None, mark_safe(f"<del>{escape(old[i])}</del>"))
                for i in range(i1 + pairs, i2)
            ]
            lines += [
                DiffLine("insert", None, j + 1, mark_safe(f"<ins>{escape(new[j])}</ins>"))
                for j in range(j1 + pairs, j2)
            ]
    return lines
