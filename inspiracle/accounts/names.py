"""Comparing names for impersonation (ACC-1).

A name's "skeleton" folds what a reader would not tell apart: letter case, full-width forms, accents,
spacing and punctuation, invisible characters, and look-alike letters from other scripts or digits
(Cyrillic "а", Greek "ο", "0" for "o", "1" for "l", "rn" for "m"), and Traditional Chinese characters to
their Simplified forms ("奔牌文創" reads as "奔牌文创" to a Chinese reader). Two names with one skeleton look
the same.
"""

import re
import unicodedata
from pathlib import Path


def _traditional_to_simplified() -> dict[int, str]:
    """OpenCC's character table (data/README.md): each Traditional character to its first Simplified form."""
    table = {}
    path = Path(__file__).resolve().parent / "data" / "opencc-TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        traditional, _tab, simplified = line.partition("\t")
        if len(traditional) == 1 and simplified.split():
            table[ord(traditional)] = simplified.split()[0]
    return table


_SIMPLIFIED = _traditional_to_simplified()

# Single characters folded to the Latin letter they imitate (after casefolding). In the spirit of Unicode
# TR39 "confusables", kept to the pairs that matter for names. "i", "l", "1" and "|" fold together: in many
# fonts they are one stroke.
_CONFUSABLE = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "l",
        "ї": "l",
        "ј": "j",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "l",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ϲ": "c",
        # digits and symbols standing in for letters
        "0": "o",
        "1": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "$": "s",
        "@": "a",
        "|": "l",
        "!": "l",
        "i": "l",
        "ı": "l",
        # CJK look-alikes commonly swapped in names
        "〇": "o",
        "丨": "l",
        "一": "一",
    }
)
_MULTI = [("rn", "m"), ("vv", "w"), ("cl", "d")]
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_SEPARATORS = re.compile(r"[\s\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def skeleton(name: str) -> str:
    text = _INVISIBLE.sub("", name or "")
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SIMPLIFIED)
    # Strip accents: decompose, drop combining marks.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.translate(_CONFUSABLE)
    text = _SEPARATORS.sub("", text)
    for pair, single in _MULTI:
        text = text.replace(pair, single)
    return text


def imitates(candidate_skeleton: str, protected_skeleton: str) -> bool:
    """True when a name with ``candidate_skeleton`` would pass for ``protected_skeleton``: the same, or the
    protected name inside it ("OfficialDisneyStore") once it is long enough to be distinctive."""
    if not candidate_skeleton or not protected_skeleton:
        return False
    if candidate_skeleton == protected_skeleton:
        return True
    distinctive = len(protected_skeleton) >= 4 or (
        len(protected_skeleton) >= 2 and _CJK.search(protected_skeleton) is not None
    )
    return distinctive and protected_skeleton in candidate_skeleton


# Legal forms that end a registered organization name: a display name copying the rest ("奔牌文创官方店" for
# "奔牌文创有限公司") passes for the organization as much as the full name does. Skeleton forms, longest first.
_LEGAL_FORMS = sorted(
    {
        skeleton(form)
        for form in (
            "股份有限公司",
            "有限责任公司",
            "有限公司",
            "集团有限公司",
            "集团",
            "公司",
            "co ltd",
            "co limited",
            "company limited",
            "limited",
            "ltd",
            "inc",
            "llc",
            "corp",
            "corporation",
            "company",
            "gmbh",
        )
    },
    key=len,
    reverse=True,
)


def organization_skeletons(registered_name: str) -> list[str]:
    """The skeletons a verified organization is known by: its registered name, and that name without its legal
    form when what is left is still distinctive (3 Chinese characters, or 5 letters)."""
    full = skeleton(registered_name)
    found = [full]
    for form in _LEGAL_FORMS:
        if full.endswith(form) and len(full) > len(form):
            core = full[: -len(form)]
            if len(core) >= (3 if _CJK.search(core) else 5):
                found.append(core)
            break
    return found
