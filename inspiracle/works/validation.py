"""Checks on a work's details and files as typed or chosen (WRK-1): every problem, per field."""

import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.pipeline.checks import safe_filename
from inspiracle.pipeline.checks.names import sizes_apart
from inspiracle.pipeline.errors import reason_message
from inspiracle.works.models import AIUse, Category

MAX_TAGS = 10


def _clean_text(value) -> str:
    """Text as typed, minus NUL characters, which no database column accepts (PostgreSQL refuses them)."""
    return str(value or "").replace("\x00", "")


def _clean_tags(raw: Sequence[str] | str) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace("，", ",").split(",")
    # Refuse a flood before looking at it: the loop below is cheap, but not for a million tags.
    if len(raw) > MAX_TAGS * 4:
        raise ApplicationError(
            _("A work can have at most %(max)d tags; you gave %(n)d.") % {"max": MAX_TAGS, "n": len(raw)},
            fields={"tags": [_("Keep at most %(max)d tags.") % {"max": MAX_TAGS}]},
        )
    tags: list[str] = []
    seen: set[str] = set()
    for item in raw:
        name = " ".join(unicodedata.normalize("NFKC", _clean_text(item)).split()).lstrip("#").strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    if len(tags) > MAX_TAGS:
        raise ApplicationError(
            _("A work can have at most %(max)d tags; you gave %(n)d.") % {"max": MAX_TAGS, "n": len(tags)},
            fields={"tags": [_("Keep at most %(max)d tags.") % {"max": MAX_TAGS}]},
        )
    for name in tags:
        if len(name) > 40:
            raise ApplicationError(
                _("The tag '%(tag)s…' is longer than 40 characters.") % {"tag": name[:20]},
                fields={"tags": [_("Each tag has at most 40 characters.")]},
            )
    return tags


def validate_metadata(data: dict, errors: dict[str, list[str]]) -> dict:
    """Check the fields present in ``data``; return them cleaned. Errors are collected per field."""
    clean: dict = {}
    if "title" in data:
        title = " ".join(_clean_text(data["title"]).split())
        if not title:
            errors.setdefault("title", []).append(_("Give the work a title."))
        elif len(title) > 120:
            errors.setdefault("title", []).append(_("The title has at most 120 characters."))
        clean["title"] = title
    if "description" in data:
        description = _clean_text(data["description"]).strip()
        if len(description) > 5000:
            errors.setdefault("description", []).append(_("The description has at most 5,000 characters."))
        clean["description"] = description
    if "category" in data:
        if data["category"] not in Category.values:
            errors.setdefault("category", []).append(
                _("Choose a category: %(choices)s.") % {"choices": ", ".join(Category.values)}
            )
        clean["category"] = data["category"]
    if "ai_use" in data:
        if data["ai_use"] not in AIUse.values:
            errors.setdefault("ai_use", []).append(
                _("Say whether AI was used: %(choices)s.") % {"choices": ", ".join(AIUse.values)}
            )
        clean["ai_use"] = data["ai_use"]
    if "tags" in data:
        try:
            clean["tags"] = _clean_tags(data["tags"] or [])
        except ApplicationError as exc:
            errors.setdefault("tags", []).extend(exc.fields["tags"])
    for flag in ("repost_allowed", "no_ai_training", "open_to_licensing"):
        if flag in data:
            clean[flag] = bool(data[flag])
    return clean


def check_files(files: Sequence[UploadedFile], errors: dict[str, list[str]]) -> None:
    if not files:
        errors.setdefault("files", []).append(_("Add at least one image file."))
    elif len(files) > settings.WORK_MAX_FILES:
        errors.setdefault("files", []).append(
            _("A work has at most %(max)d files; you chose %(n)d.")
            % {"max": settings.WORK_MAX_FILES, "n": len(files)}
        )
    for upload in files:
        assert upload.size is not None  # a request's uploads know their size (the stubs allow None)
        # The pipeline checks size again; refusing here spares storing a file that cannot pass.
        if upload.size > settings.WORK_FILE_MAX_BYTES:
            errors.setdefault("files", []).append(
                f"{safe_filename(upload.name or '')}: "
                + reason_message(
                    "too_large",
                    dict(
                        zip(
                            ("size", "limit"),
                            sizes_apart(upload.size, settings.WORK_FILE_MAX_BYTES),
                            strict=True,
                        )
                    ),
                )
            )
