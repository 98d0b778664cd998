"""CI's translation check (UX-1): fail when ``makemessages`` would change the Chinese catalogue's entries.

It runs ``makemessages`` as the catalogue is made (Python, templates and mail texts of the whole project) into
a temporary copy of ``locale/``, so the checkout is never written, and compares the result with the committed
catalogue. It fails, listing each msgid, when the new catalogue has an entry that is new (a string nobody
translated yet), fuzzy (its msgid changed, so gettext would show the English) or untranslated. Line numbers
and the creation date are not compared: they move with every edit.

    python manage.py check_messages
"""

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

LOCALE = "zh_Hans"
EXTENSIONS = ["html", "txt", "py"]
IGNORE = ["node_modules/*", "var/*", "static/*", "test-results/*"]
# Not copied into the temporary project: the environment, history, data and outputs (no messages in them).
SKIPPED = (".venv", ".git", "var", "node_modules", "test-results", "__pycache__", "*.pyc", "static", "media")


@dataclass
class Entry:
    msgid: str
    context: str
    plural: str
    translations: list[str]
    fuzzy: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.translations) and all(self.translations)


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def parse_po(text: str) -> list[Entry]:
    """The entries of a catalogue (the header and obsolete ``#~`` entries left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s", line)
            if match:
                current = match.group(1)
                fields[current] = _unquote(line)
            elif line.startswith('"') and current is not None:
                fields[current] += _unquote(line)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        translations = [value for name, value in sorted(fields.items()) if name.startswith("msgstr")]
        entries.append(
            Entry(
                msgid=fields["msgid"],
                context=fields.get("msgctxt", ""),
                plural=fields.get("msgid_plural", ""),
                translations=translations,
                fuzzy=fuzzy,
            )
        )
    return entries


def catalogue_problems(before: list[Entry], after: list[Entry]) -> list[str]:
    """What ``after`` (the catalogue makemessages makes) lacks: new, fuzzy or untranslated entries."""
    known = {entry.key for entry in before}
    problems = []
    for entry in after:
        name = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.key not in known:
            problems.append(f"new: {name!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {name!r}")
        elif not entry.translated:
            problems.append(f"untranslated: {name!r}")
    return problems


class Command(BaseCommand):
    help = "Fail when makemessages would add, fuzz or leave untranslated an entry of the Chinese catalogue."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        po_path = Path("locale") / LOCALE / "LC_MESSAGES" / "django.po"
        committed = (base / po_path).read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as temporary:
            # A copy of the project: makemessages writes into every "locale" folder it finds above the files it
            # reads, so it must not see the checkout's. File names stay relative, as in the real catalogue.
            copy = Path(temporary) / "project"
            shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*SKIPPED), symlinks=True)
            with override_settings(LOCALE_PATHS=[copy / "locale"]), _working_directory(copy):
                call_command(
                    "makemessages",
                    locale=[LOCALE],
                    extensions=EXTENSIONS,
                    ignore_patterns=IGNORE,
                    verbosity=0,
                )
            after = parse_po((copy / po_path).read_text(encoding="utf-8"))
        if (base / po_path).read_text(encoding="utf-8") != committed:
            (base / po_path).write_text(committed, encoding="utf-8")
            raise CommandError("makemessages wrote to the checkout's catalogue; it was put back.")
        problems = catalogue_problems(parse_po(committed), after)
        if problems:
            listing = "\n".join(f"  {problem}" for problem in problems)
            raise CommandError(
                f"The Chinese catalogue is not complete ({len(problems)} entries); translate these and run "
                f"makemessages:\n{listing}"
            )
        self.stdout.write(f"The Chinese catalogue is complete: {len(after)} entries.")


class _working_directory:
    def __init__(self, path: Path):
        self.path = path
        self.previous: str | None = None

    def __enter__(self):
        import os

        self.previous = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        assert self.previous is not None
        os.chdir(self.previous)
