"""Both languages read as written (UX-1): Chinese punctuation around translated labels, distinct status names,
English times without "a.m..", file types in words, and the catalogue check CI runs."""

import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from inspiracle.core.management.commands.check_messages import catalogue_problems, parse_po
from inspiracle.core.templatetags.file_kinds import file_kind
from inspiracle.works.models import Work

PO = """msgid ""
msgstr ""
"Language: zh_Hans\\n"

#: a.py:1
msgid "Done"
msgstr "完成"

#, fuzzy
msgid "Nothing was sent; correct the fields marked below."
msgstr "未发送"

msgctxt "label separator"
msgid ": "
msgstr "："

msgid "%(n)s file"
msgid_plural "%(n)s files"
msgstr[0] ""
"""


def test_the_catalogue_check_lists_new_fuzzy_and_untranslated_entries():
    entries = parse_po(PO)
    assert [entry.msgid for entry in entries] == [
        "Done",
        "Nothing was sent; correct the fields marked below.",
        ": ",
        "%(n)s file",
    ]
    before = entries[:1]
    problems = catalogue_problems(before, entries)
    assert problems == [
        "new: 'Nothing was sent; correct the fields marked below.'",
        "new: 'label separator\\x04: '",
        "new: '%(n)s file'",
    ]
    assert catalogue_problems(entries, entries) == [
        "fuzzy: 'Nothing was sent; correct the fields marked below.'",
        "untranslated: '%(n)s file'",
    ]
    assert catalogue_problems(entries[:1], entries[:1]) == []


def test_work_statuses_have_distinct_chinese_names():
    """Taken down and unpublished once both read 已下架 in one filter."""
    with translation.override("zh-hans"):
        labels = [str(label) for _value, label in Work.Status.choices]
    assert len(set(labels)) == len(labels)


def test_a_label_and_its_value_are_joined_with_the_languages_colon():
    template = Template(
        '{% load i18n %}{% translate "Outcome" %}{% translate ": " context "label separator" %}X'
    )
    with translation.override("en"):
        assert template.render(Context()) == "Outcome: X"
    with translation.override("zh-hans"):
        rendered = template.render(Context())
    assert ": " not in rendered


def test_an_english_time_does_not_end_in_a_full_stop():
    """A sentence ending with a time read "a.m.." with Django's English format."""
    with translation.override("en"):
        shown = date_format(datetime(2026, 3, 1, 9, 30), "DATETIME_FORMAT")
    assert shown == "March 1, 2026, 09:30"
    assert not shown.endswith(".")


# ASCII punctuation the template itself puts after a translated text, a shown choice or a formatted date: in
# Chinese it lands after Chinese characters ("已处理 2026年3月1日 09:30." or "举报侵权: 知识产权"). The words and
# their punctuation belong in one msgid, or the separator in a translated one ("label separator", "list
# separator").
ASCII_AFTER_TRANSLATED = [
    re.compile(r'\|date:"[A-Z_]*FORMAT" \}\}[.:,;]'),
    re.compile(r"\{% (?:translate [^%]*|endblocktranslate) %\}(?:</strong>|</b>|</em>)?[.:,;](?!\w)"),
    re.compile(r"get_\w+_display \}\}[.:,;]"),
]


def test_no_template_puts_ascii_punctuation_after_a_translated_text_or_a_date():
    """REQ: UX-1"""
    found = [
        f"{path}:{number}: {line.strip()[:120]}"
        for root in (Path(settings.BASE_DIR) / "inspiracle", Path(settings.BASE_DIR) / "templates")
        for path in sorted([*root.rglob("*.html"), *root.rglob("*.txt")])
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(pattern.search(line) for pattern in ASCII_AFTER_TRANSLATED)
    ]
    assert found == []


def test_file_types_are_shown_in_words():
    with translation.override("en"):
        assert file_kind("application/pdf") == "PDF document"
        assert file_kind("image/jpeg; charset=binary") == "JPEG image"
        assert file_kind("application/x-unknown") == "application/x-unknown"
