"""Changes to works: upload, edit, publish, unpublish, delete (WRK-1, WRK-3 to WRK-8).

Files are written to storage before the transaction that records them; if the transaction fails they are
deleted again, and files a committed change no longer refers to are deleted after the commit. So a failure
never leaves a row without its file or a file without its row.
"""

import secrets
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import PII_READ, STAFF_CONSOLE, has_capability, require_capability
from inspiracle.agreements.models import Consent
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.core.http import current_origin
from inspiracle.pipeline.checks import safe_filename
from inspiracle.standing import PUBLISH, require_allowed
from inspiracle.works import transitions
from inspiracle.works.models import (
    FileFeatures,
    FileHashKey,
    FileLocalKey,
    Tag,
    Work,
    WorkFile,
    private_storage,
)
from inspiracle.works.screening import screen_text
from inspiracle.works.transitions import work_transition
from inspiracle.works.validation import check_files, validate_metadata

# WRK-4: the display licence comes from the creator display authorization, or failing that (an operator's
# own set of documents) from the service agreement.
LICENCE_DOCUMENTS = ("creator-display-authorization", "service-agreement")
Status = Work.Status


def _licence_version(owner: User):
    for slug in LICENCE_DOCUMENTS:
        consent = (
            Consent.objects.filter(user=owner, version__document__slug=slug)
            .select_related("version")
            .order_by("-version__number")
            .first()
        )
        if consent:
            return consent.version
    raise ApplicationError(
        _("Accept the creator display authorization before uploading works."),
        code="consent_required",
        status=403,
    )


def _store_files(work: Work, files: Sequence[UploadedFile], saved: list[str]) -> list[WorkFile]:
    rows = []
    for position, upload in enumerate(files):
        assert upload.size is not None  # a request's uploads know their size (the stubs allow None)
        row = WorkFile(
            work=work, position=position, original_name=safe_filename(upload.name or ""), size=upload.size
        )
        # A name of our own: the uploader's name is never a storage path (path traversal, odd characters).
        name = private_storage().save(f"works/{work.pk}/{secrets.token_hex(12)}/original", upload)
        saved.append(name)
        row.original.name = name
        row.save()
        rows.append(row)
    return rows


def _delete_blobs(names: Sequence[str]) -> None:
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def _drop_files(work: Work) -> None:
    """Inside the caller's transaction: the work's rows forget their files and keys; the files themselves go
    after the commit (the rows keep what was learned about them: names, hashes, refusal reasons)."""
    blobs = [name for f in work.files.all() for _field, name in f.stored_names()]
    WorkFile.objects.filter(work=work).update(original="", thumbnail="", preview="")
    FileHashKey.objects.filter(file__work=work).delete()
    FileLocalKey.objects.filter(file__work=work).delete()
    FileFeatures.objects.filter(file__work=work).delete()
    transaction.on_commit(lambda: _delete_blobs(blobs), robust=True)


def _enqueue(files: Sequence[WorkFile]) -> None:
    from inspiracle.pipeline.tasks import process_file

    ids = [f.pk for f in files]
    # Robust: a broker that is down must not undo a committed upload; the stalled-job sweep queues it later.
    transaction.on_commit(lambda: [process_file.delay(file_id) for file_id in ids], robust=True)


def _set_tags(work: Work, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    work.tags.set(tags)


def work_create(
    *,
    owner: User,
    title: str,
    description: str = "",
    category: str,
    tags: Sequence[str] | str = (),
    ai_use: str,
    rights_confirmed: bool,
    repost_allowed: bool = False,
    no_ai_training: bool = True,
    files: Sequence[UploadedFile],
) -> Work:
    """WRK-1: a new work, private, with its files queued for the checks."""
    require_allowed(owner, PUBLISH)
    errors: dict[str, list[str]] = {}
    clean = validate_metadata(
        {
            "title": title,
            "description": description,
            "category": category,
            "tags": tags,
            "ai_use": ai_use,
            "repost_allowed": repost_allowed,
            "no_ai_training": no_ai_training,
        },
        errors,
    )
    if not rights_confirmed:
        errors.setdefault("rights_confirmed", []).append(
            _("Confirm that you own this work or are authorized by its owner to upload it.")
        )
    check_files(files, errors)
    if errors:
        raise ApplicationError(_("Nothing was uploaded; correct the fields marked below."), fields=errors)
    now = timezone.now()
    saved: list[str] = []
    try:
        with transaction.atomic():
            work = Work(
                owner=owner,
                title=clean["title"],
                description=clean["description"],
                category=clean["category"],
                ai_use=clean["ai_use"],
                repost_allowed=clean["repost_allowed"],
                no_ai_training=clean["no_ai_training"],
                rights_confirmed_at=now,
                licence_version=_licence_version(owner),
                uploaded_at=now,
                updated_at=now,
                upload_ip=current_origin.get().ip or None,
            )
            work.full_clean(exclude=["licence_version", "owner"])
            work.save()
            _set_tags(work, clean["tags"])
            rows = _store_files(work, files, saved)
            audit_record(
                action="work.uploaded",
                actor=owner,
                target=work,
                target_label=work.title,
                data={
                    "files": [r.pk for r in rows],
                    "ai_use": work.ai_use,
                    "licence": work.licence_version.label,
                },
            )
            _enqueue(rows)
    except Exception:
        _delete_blobs(saved)
        raise
    return work


def work_update(
    *, actor: User, work: Work, changes: dict, files: Sequence[UploadedFile] | None = None
) -> Work:
    """WRK-8: the owner edits. A new title, description or set of files sends the work back through the
    checks and review; tags, category and the repost and AI-training settings change in place."""
    if work.owner_id != actor.pk or work.status == Status.DELETED:
        raise ApplicationError(_("Only the work's owner can edit it."), status=403, code="forbidden")
    if work.status == Status.PROCESSING:
        raise ApplicationError(
            _("The files of this work are still being checked; edit it when the checks are finished."),
            status=409,
            code="busy",
        )
    errors: dict[str, list[str]] = {}
    clean = validate_metadata(changes, errors)
    if files is not None:
        check_files(files, errors)
    if clean.get("repost_allowed") and work.is_exclusive:
        errors.setdefault("repost_allowed", []).append(
            _(
                "This work is under an exclusive licence (Exclusive License, No Reposting); reposting cannot be allowed."
            )
        )
    if errors:
        raise ApplicationError(_("Nothing was changed; correct the fields marked below."), fields=errors)
    changed = {k for k, v in clean.items() if k != "tags" and getattr(work, k) != v}
    if "tags" in clean and sorted(clean["tags"]) != sorted(work.tags.values_list("name", flat=True)):
        changed.add("tags")
    if files is not None:
        changed.add("files")
    if not changed:
        return work
    significant = changed & {"title", "description", "files"}
    if significant:
        require_allowed(actor, PUBLISH)  # settings (tags, reposting, AI training) stay the owner's to change
    saved: list[str] = []
    try:
        with transaction.atomic():
            work = Work.objects.select_for_update().get(pk=work.pk)
            if work.status == Status.PROCESSING:  # checked again under the lock: a replacement may have won
                raise ApplicationError(
                    _(
                        "The files of this work are still being checked; edit it when the checks are finished."
                    ),
                    status=409,
                    code="busy",
                )
            for field in changed - {"tags", "files"}:
                setattr(work, field, clean[field])
            if "tags" in changed:
                _set_tags(work, clean["tags"])
            work.updated_at = timezone.now()
            generation_bump("works")  # tags, category and AI use are on cached cards and filters (views.py)
            old_blobs: list[str] = []
            transition = None
            if significant:
                work.revision += 1
                work.screening_hits = []
                work.submitted_at = None
                if files is not None:
                    for old in work.files.all():
                        old_blobs += [name for _f, name in old.stored_names()]
                    work.files.all().delete()
                    rows = _store_files(work, files, saved)
                    transition = transitions.RECHECK
                    _enqueue(rows)
                elif work.status not in (Status.REJECTED, Status.DECLINED, Status.TAKEN_DOWN):
                    # A work whose files were refused, or that review rejected, goes back to review only with
                    # new files (WRK-2); a rejection is otherwise contested by appeal (MOD-6).
                    _screen(work)
                    transition = transitions.EDIT
            data = {"fields": sorted(changed), "back_to_review": bool(significant), "revision": work.revision}
            if transition is not None:
                work_transition(work=work, transition=transition, by=actor, data=data)
            else:
                work.save()
                audit_record(
                    action="work.edited", actor=actor, target=work, target_label=work.title, data=data
                )
            transaction.on_commit(lambda: _delete_blobs(old_blobs), robust=True)
    except Exception:
        _delete_blobs(saved)
        raise
    return work


def _screen(work: Work) -> None:
    """MOD-3: what the reviewer is shown of the screening list, found again for every submission."""
    work.screening_hits = screen_text(work.title, work.description)


def work_checks_finished(*, work_id: int) -> Work | None:
    """Called by the pipeline after each file: when no file is pending any more, the work goes to review, or
    is rejected by the checks if a file was refused (then nothing of it is kept in storage: WRK-2)."""
    with transaction.atomic():
        work = Work.objects.select_for_update().filter(pk=work_id, status=Status.PROCESSING).first()
        if work is None:
            return None
        files = list(work.files.all())
        if any(f.status == WorkFile.Status.PENDING for f in files):
            return work
        refused = [f for f in files if f.status == WorkFile.Status.REFUSED]
        if refused:
            _drop_files(work)
        else:
            _screen(work)
        work_transition(
            work=work,
            transition=transitions.FAIL_CHECKS if refused else transitions.PASS_CHECKS,
            data={"refused": {f.pk: f.refusal_code for f in refused}},
        )
    return work


def work_publish(*, actor: User, work: Work, revision: int | None = None) -> Work:
    """WRK-3: staff approve a work; it becomes public. The moderation queue calls this. ``revision`` is
    the one the reviewer looked at: if the owner edited the work since, nothing is published."""
    require_capability(actor, STAFF_CONSOLE)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        if revision is not None and revision != work.revision:
            raise ApplicationError(
                _("The creator changed this work after you opened it; look at it again before publishing."),
                code="changed",
                status=409,
            )
        if not User.objects.filter(pk=work.owner_id, is_active=True).exists():
            # ACC-3: a closed (cancelled) account's works are kept only for a case or a hold, never shown again.
            raise ApplicationError(
                _("The account that owns this work was closed; the work cannot be published."),
                code="account_closed",
                status=409,
            )
        if work.files.exclude(status=WorkFile.Status.READY).exists() or not work.files.exists():
            raise ApplicationError(
                _("Only a work whose files all passed the checks can be published."),
                code="invalid_state",
                status=409,
            )
        if work.files.filter(search_queued_at__isnull=False).exists():
            # WRK-9: the search for copies of a part runs right after the checks (decision 0027); a reviewer
            # must see what it finds before the work goes public.
            raise ApplicationError(
                _(
                    "The search for copies of parts of other works is still running on this work's files;"
                    " publish it when the matches are in, usually within a minute."
                ),
                code="search_running",
                status=409,
            )
        work_transition(work=work, transition=transitions.PUBLISH, by=actor)
    return work


def work_resubmit(*, actor: User, work: Work) -> Work:
    """MOD-2: after a requested correction the creator sends the work back to review (an edit of the title,
    description or files does so by itself)."""
    if work.owner_id != actor.pk:
        raise ApplicationError(_("Only the work's owner can resubmit it."), status=403, code="forbidden")
    require_allowed(actor, PUBLISH)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        work.revision += 1
        _screen(work)
        work_transition(work=work, transition=transitions.RESUBMIT, by=actor)
    return work


def work_unpublish(*, actor: User, work: Work) -> Work:
    """WRK-8: the owner takes a published work off the public pages (it can be published again)."""
    if work.owner_id != actor.pk:
        raise ApplicationError(_("Only the work's owner can unpublish it."), status=403, code="forbidden")
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        work_transition(work=work, transition=transitions.UNPUBLISH, by=actor)
    return work


def work_republish(*, actor: User, work: Work) -> Work:
    """An unpublished work whose approved content has not changed since goes public again by itself;
    any edit since then has already sent it back to review."""
    if work.owner_id != actor.pk:
        raise ApplicationError(_("Only the work's owner can publish it again."), status=403, code="forbidden")
    require_allowed(actor, PUBLISH)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        work_transition(work=work, transition=transitions.REPUBLISH, by=actor)
    return work


def work_delete(*, actor: User, work: Work) -> Work:
    """WRK-8: the owner deletes a work. Its files go; the record of the upload stays (WRK-7 facts kept for
    authority requests, PRV-5), visible only to staff."""
    if work.owner_id != actor.pk:
        raise ApplicationError(_("Only the work's owner can delete it."), status=403, code="forbidden")
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        if work.status == Status.DELETED:
            return work
        _drop_files(work)
        work_transition(work=work, transition=transitions.DELETE, by=actor)
    return work


def work_upload_ip_open(*, actor: User, work: Work) -> str | None:
    """WRK-7's uploader IP address, for legal officers and administrators only (MOD-7: moderators do not need
    it to review); each reading is an access to personal information and is audited (MOD-8)."""
    if not has_capability(actor, PII_READ) or not work.upload_ip:
        return None
    audit_record(
        action="pii.viewed", actor=actor, target=work.owner, data={"what": "upload_ip", "work": work.pk}
    )
    return work.upload_ip
