"""Writing an archive (ACC-4): a ZIP streamed into a file object, never whole in memory.

JSON sections are small (rows, not files) and are written one member at a time; originals are copied from
the private storage ``CHUNK`` bytes at a time into their member, so a 2 GB upload costs 1 MiB of memory.
``progress`` is called after each step with the number of steps done; it raises to stop a build whose claim
was taken over.
"""

import json
import zipfile
from collections.abc import Callable
from typing import IO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.core.storage import private
from inspiracle.exports.sections import ORIGINALS_ABOUT, SECTIONS, original_path, originals

CHUNK = 1024 * 1024
HEARTBEAT_EVERY = 32  # chunks: a long copy still tells the sweep that its worker is alive
STEPS = len(SECTIONS) + 2  # the sections, the originals, README.txt

README_HEAD = """A copy of your data on Inspiracle
================================

Account: {username}
Made: {made}

Every .json file is UTF-8 JSON. Times are ISO 8601 in UTC; ids refer to rows in the other files (a work's
id in works.json is the <work id> of originals/). Secrets (your password, token and recovery-code digests,
the second factor's seed, session keys) are never exported.

Files:
"""


def copy_chunks(source: IO[bytes], target: IO[bytes], *, beat: Callable[[], None] = lambda: None) -> int:
    copied = 0
    while chunk := source.read(CHUNK):
        target.write(chunk)
        copied += 1
        if copied % HEARTBEAT_EVERY == 0:
            beat()
    return copied


def write_archive(out: IO[bytes], *, user: User, progress: Callable[[int], None]) -> None:
    done = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for section in SECTIONS:
            data = section.read(user)
            text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(section.name, text)
            done += 1
            progress(done)
        missing = []
        for file in originals(user):
            # Images are compressed already: stored as they are, byte for byte.
            info = zipfile.ZipInfo(original_path(file), date_time=file.uploaded_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            try:
                source = private.open(file.original.name, "rb")
            except FileNotFoundError:
                # Deleted meanwhile (the work was deleted while the build ran): said in README, not a failure.
                missing.append(original_path(file))
                continue
            with source, archive.open(info, "w", force_zip64=True) as target:
                copy_chunks(source, target, beat=lambda: progress(done))
        done += 1
        progress(done)
        lines = [f"{section.name}: {section.about}" for section in SECTIONS] + [ORIGINALS_ABOUT]
        lines += [f"{name}: deleted while this archive was made, so not included." for name in missing]
        made = timezone.now().isoformat(timespec="seconds")
        archive.writestr(
            "README.txt", README_HEAD.format(username=user.username, made=made) + "\n".join(lines) + "\n"
        )
        done += 1
        progress(done)
