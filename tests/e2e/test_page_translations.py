"""Every page the accessibility journey opens, read in Simplified Chinese without a browser (issue 15): no
sentence of the site's own is left in English. A text of a page that is one of the catalogue's English messages
(its placeholders filled), where the catalogue has a Chinese translation, was not translated: a lazy string
formatted when its module was imported, say, or a message stored in the language of whoever caused it."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import Client

from inspiracle.accounts.models import User
from inspiracle.core.management.commands.check_messages import parse_po
from tests.e2e.test_accessibility_journey import ROLES, _seed

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]|%\(\w+\)\.?\d*f")


class _Texts(HTMLParser):
    """The texts a reader meets: the document's text, and the labels that assistive technology reads."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style", "code", "pre", "textarea")
        self.texts += [v for k, v in attrs if k in ("aria-label", "title", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style", "code", "pre", "textarea")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def _untranslated() -> re.Pattern:
    """The catalogue's English sentences (three words or more: a lone word could be anyone's), translated."""
    patterns = []
    for entry in parse_po(CATALOGUE.read_text(encoding="utf-8")):
        pieces = [piece for piece in PLACEHOLDER.split(" ".join(entry.msgid.split())) if piece.strip()]
        if not entry.translated or entry.fuzzy or len(re.findall(r"[A-Za-z]{2,}", " ".join(pieces))) < 3:
            continue
        patterns.append(".+?".join(re.escape(piece) for piece in pieces))
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)))


def test_no_page_shows_an_english_sentence_of_the_site_to_a_chinese_reader(transactional_db, site):
    """REQ: UX-1"""
    seeded = _seed()
    english = _untranslated()
    found: dict[str, set[str]] = {}
    for username, pages in ROLES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if username:
            client.force_login(User.objects.get(username=username))
        for name, path in pages:
            parser = _Texts()
            parser.feed(client.get(path.format(**seeded)).content.decode())
            for text in parser.texts:
                match = english.search(text)
                if match:
                    found.setdefault(match.group(0), set()).add(name)
    assert found == {}
