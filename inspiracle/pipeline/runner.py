"""The upload pipeline: one ordered list of small steps run on one file (WRK-2, WRK-9, WRK-11).

Each step reads and adds to a ``Job``; a step refuses the file by raising ``FileRefused``. Steps write
nothing to the database: the results land in one transaction at the end, and derivatives are stored under
names fixed by the file's row, so a run that dies half-way (a killed worker) is simply run again and
overwrites what it had written: nothing lost, nothing duplicated.
"""

import hashlib
import logging
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image

from inspiracle.pipeline import checks, clamav, imaging, matching, provenance
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.threads import in_thread
from inspiracle.proofs.services import proof_append
from inspiracle.similarity import local
from inspiracle.similarity.hashing import Fingerprint, fingerprint, to_signed
from inspiracle.works.models import (
    FileFeatures,
    FileHashKey,
    FileLocalKey,
    Match,
    Work,
    WorkFile,
    private_storage,
)
from inspiracle.works.services import work_checks_finished

log = logging.getLogger(__name__)

# A live run renews its claim every HEARTBEAT; a claim not renewed for STALE belongs to a run whose worker
# died, and the sweep (every 20 s) runs the file again: interrupted work resumes within a minute, whatever
# the broker does with the lost message (RabbitMQ hands it back at once, Redis after an hour, the embedded
# SQLite broker never). A run cannot outlive the time limit: the worker kills it (tasks.py refuses the file).
HEARTBEAT = timedelta(seconds=5)
STALE = timedelta(seconds=20)
# A file queued this long ago and never claimed lost its message (the broker was down at upload).
NEVER_CLAIMED = timedelta(minutes=1)
# A file that took down the worker this many times is refused rather than tried for ever.
MAX_ATTEMPTS = 3


@dataclass
class Job:
    file: WorkFile
    scratch: Path
    path: Path = Path()
    inspection: checks.Inspection | None = None
    sha256: str = ""
    scan: str = ""
    ai_labels: list[str] = field(default_factory=list)
    image: Image.Image | None = None
    derivatives: imaging.Derivatives | None = None
    fingerprint: Fingerprint | None = None
    features: local.LocalFeatures | None = None  # stored, for later uploads to be compared with
    scanning: Future[clamav.ScanResult] | None = None  # clamd's verdict, awaited by scan_verdict
    # The features to store, made from the clean preview while the derivatives are encoded.
    extracting: Future[local.LocalFeatures] | None = None
    clean: Image.Image | None = None  # the preview before its watermark, for the search that follows
    matches: list[matching.Found] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def fetch(job: Job) -> None:
    """A local file to work on, hashed while read. Local storage is read in place (the steps only read);
    other storage (S3) is copied into the scratch folder first."""
    digest = hashlib.sha256()
    try:
        job.path = Path(job.file.original.path)
    except NotImplementedError:
        job.path = job.scratch / "original"
        with job.file.original.open("rb") as source, open(job.path, "wb") as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                target.write(chunk)
    else:
        with open(job.path, "rb") as source:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
    job.sha256 = digest.hexdigest()


def validate(job: Job) -> None:
    # decode_follows: what the decode step proves anyway is left to it (the JPEG entropy decode, a PNG's
    # inflation counted against its header), so that no picture is decoded or inflated twice (issue 14).
    job.inspection = checks.inspect_upload(
        job.path,
        name=job.file.original_name,
        max_bytes=settings.WORK_FILE_MAX_BYTES,
        max_pixels=settings.IMAGE_MAX_PIXELS,
        max_frames=settings.IMAGE_MAX_FRAMES,
        max_scans=settings.IMAGE_MAX_SCANS,
        decode_follows=True,
    )


def scan(job: Job) -> None:
    """Hand the file to clamd in a thread of its own (decision 0025, "The scan beside the steps"): clamd's work
    is in its own process and this thread only waits on a socket, so the decode and the derivatives go on
    meanwhile. Nothing the steps make leaves the worker before ``scan_verdict``: the derivatives are stored, and
    the outcome recorded, only after it."""
    assert job.inspection is not None  # each step runs after the ones before it (STEPS)
    path, packed = job.path, job.inspection.packed
    # ScannerUnavailable and FileRefused("scan_failed") are raised by scan_verdict.
    job.scanning = in_thread("pipeline-scan", lambda: clamav.scan_file_and_unpacked(path, packed))


def scan_verdict(job: Job) -> None:
    """Wait for clamd's answer: malware refuses the file, an unreachable scanner retries the task."""
    if job.scanning is None:  # refused before the scan started
        return
    result = job.scanning.result()
    if result.status == "infected":
        raise FileRefused("malware", signature=result.signature)
    job.scan = result.status


def labels(job: Job) -> None:
    job.ai_labels = provenance.read_ai_labels(job.path)


def decode(job: Job) -> None:
    job.image = imaging.decode(job.path, max_pixels=settings.IMAGE_MAX_PIXELS)


def derivatives(job: Job) -> None:
    owner = job.file.work.owner
    assert job.image is not None

    def extract(clean: Image.Image) -> None:
        # The local features to store (decision 0024) need only the clean preview: OpenCV releases the GIL, as
        # do Pillow's watermark and WebP encoder, so they are made on the second core while this thread encodes.
        job.clean = clean
        job.extracting = in_thread("pipeline-local-features", lambda: local.extract(clean))

    job.derivatives = imaging.make_derivatives(
        job.image, watermark=f"Inspiracle · @{owner.username}", clean_ready=extract
    )
    job.image = None  # the full decode is the biggest thing held; let it go


def fingerprints(job: Job) -> None:
    assert job.derivatives is not None
    job.fingerprint = fingerprint(job.derivatives.hash_image)


def local_features(job: Job) -> None:
    """Keypoints of the clean preview, stored for later uploads to be compared with (decision 0024). Searching
    earlier works with them is the task that follows the upload (copy_search.py, decision 0027)."""
    assert job.extracting is not None
    job.features = job.extracting.result()


def similarity(job: Job) -> None:
    assert job.fingerprint is not None
    job.matches = matching.find_matches(
        work_id=job.file.work_id, sha256=job.sha256, fingerprint=job.fingerprint
    )


STEPS: list[tuple[str, Callable[[Job], None]]] = [
    ("fetch", fetch),
    ("validate", validate),
    ("scan", scan),
    ("labels", labels),
    ("decode", decode),
    ("derivatives", derivatives),
    ("fingerprint", fingerprints),
    ("local features", local_features),
    ("similarity", similarity),
    ("scan verdict", scan_verdict),
]


def _claim(file_id: int, token: str) -> WorkFile | None:
    """Take the file for this run, or None when there is nothing to do (done, gone, or held by a live run).
    The same task redelivered after its worker died carries the same token and takes the file back."""
    with transaction.atomic():
        row = WorkFile.objects.select_for_update().select_related("work__owner").filter(pk=file_id).first()
        if row is None or row.status != WorkFile.Status.PENDING or row.work.status != Work.Status.PROCESSING:
            return None
        now = timezone.now()
        held = row.claimed_by and row.claimed_by != token and row.claimed_at and now - row.claimed_at < STALE
        if held:
            return None
        row.claimed_by = token
        row.claimed_at = now
        row.attempts += 1
        row.save(update_fields=["claimed_by", "claimed_at", "attempts"])
        return row


@contextmanager
def _heartbeat(file_id: int, token: str) -> Iterator[None]:
    """Renew the claim every HEARTBEAT while the steps run. A thread, because a step can spend minutes in
    one call into C (a decoder), which releases the GIL but returns no control to us."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                try:
                    WorkFile.objects.filter(pk=file_id, claimed_by=token).update(claimed_at=timezone.now())
                except DatabaseError as exc:  # a busy database: the next beat tries again
                    log.warning(
                        "pipeline heartbeat failed", extra={"file": file_id, "error": type(exc).__name__}
                    )
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"pipeline-heartbeat-{file_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def hold_for_retry(file_id: int, token: str, *, seconds: int) -> None:
    """Keep the claim of a run that waits ``seconds`` for its retry (the scanner was down), so that the
    sweep does not start a second run meanwhile; the retry carries the same token and takes it back."""
    until = timezone.now() + timedelta(seconds=seconds)
    WorkFile.objects.filter(pk=file_id, claimed_by=token).update(claimed_at=until)


def derivative_name(row: WorkFile, kind: str) -> str:
    # A file being processed has its original (the stubs allow None, for a field left empty).
    return f"{Path(cast(str, row.original.name)).parent.as_posix()}/{kind}.webp"


def _store_derivative(name: str, data: bytes) -> str:
    storage = private_storage()
    # Fixed names make a re-run overwrite rather than add a copy; storages never overwrite on save.
    storage.delete(name)
    return storage.save(name, ContentFile(data))


def process_file(
    file_id: int, *, token: str | None = None, accepted: Callable[[Image.Image], None] | None = None
) -> str:
    """Run the steps on one file and record the outcome. Returns what happened, for logs and tests.
    ``accepted`` is called with the clean preview once the file's acceptance is committed (the task runs the
    search for copies with it, copy_search.py, without decoding the original again)."""
    token = token or uuid.uuid4().hex
    row = _claim(file_id, token)
    if row is None:
        return "skipped"
    if row.attempts > MAX_ATTEMPTS:
        _finish(row, None, FileRefused("damaged", detail="processing it failed again and again"))
        return "refused"
    scratch = Path(tempfile.mkdtemp(prefix="inspiracle-"))
    job = Job(file=row, scratch=scratch)
    try:
        with _heartbeat(row.pk, token):
            _run_steps(job)
            assert job.derivatives is not None
            stored = [
                _store_derivative(derivative_name(row, "thumbnail"), job.derivatives.thumbnail),
                _store_derivative(derivative_name(row, "preview"), job.derivatives.preview),
            ]
    except FileRefused as refusal:
        _finish(row, job, refusal)
        log.info("pipeline refused file", extra={"file": file_id, "code": refusal.code, "ms": job.timings})
        return "refused"
    except clamav.ScannerUnavailable:
        # Not the file's fault: give the attempt back, so that a lasting outage ends as "scan_failed" and
        # never counts towards the poison limit. The claim stays with this task id: its retry takes it back
        # (tasks.py holds the claim until the retry is due).
        WorkFile.objects.filter(pk=row.pk, claimed_by=token).update(attempts=F("attempts") - 1)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not _finish(row, job, None, stored=stored):
        # Gone or deleted meanwhile; unless a second run (taken over from a stalled claim) recorded these
        # very names, which it wrote with the same content.
        if not WorkFile.objects.filter(pk=row.pk, thumbnail=stored[0]).exists():
            _delete(stored)
        return "skipped"
    log.info("pipeline accepted file", extra={"file": file_id, "ms": job.timings})
    if accepted is not None and job.clean is not None:
        accepted(job.clean)
    return "ready"


def _run_steps(job: Job) -> None:
    try:
        for name, step in STEPS:
            started = time.perf_counter()
            try:
                step(job)
            finally:
                job.timings[name] = round((time.perf_counter() - started) * 1000, 2)
    except FileRefused:
        # The scanner's word comes first, as when it scanned before the other steps: a file that is malware
        # and damaged too is refused as malware, and an unreachable scanner retries whatever else was found.
        scan_verdict(job)
        raise


def _delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


def _finish(
    row: WorkFile, job: Job | None, refusal: FileRefused | None, *, stored: Sequence[str] = ()
) -> bool:
    """Record the outcome in one transaction. False when the file's row went away meanwhile (its files
    were replaced) or its work is no longer being checked (deleted), in which case the caller removes what
    it stored."""
    with transaction.atomic():
        current = (
            WorkFile.objects.select_for_update()
            .filter(pk=row.pk, status=WorkFile.Status.PENDING, work__status=Work.Status.PROCESSING)
            .first()
        )
        if current is None:
            return False
        current.processed_at = timezone.now()
        current.claimed_by = ""
        if job is not None:
            current.timings = job.timings
            current.sha256 = job.sha256
            current.scan = job.scan
        if refusal is not None:
            current.status = WorkFile.Status.REFUSED
            current.refusal_code = refusal.code
            current.refusal_params = refusal.params
            # WRK-2: nothing of a refused file is kept or shown; the row keeps the reason.
            original = cast(str, current.original.name)  # a pending file has its original
            current.original = ""
            transaction.on_commit(lambda: _delete([original]))
        else:
            # Accepted: every step ran.
            assert job is not None and job.inspection is not None and job.fingerprint is not None
            assert job.features is not None
            inspection, fp = job.inspection, job.fingerprint
            current.status = WorkFile.Status.READY
            current.format = inspection.format
            current.width, current.height, current.frames = (
                inspection.width,
                inspection.height,
                inspection.frames,
            )
            current.ai_labels = job.ai_labels
            current.thumbnail.name, current.preview.name = stored
            current.phash, current.dhash = to_signed(fp.phash), to_signed(fp.dhash)
            FileHashKey.objects.filter(file=current).delete()
            FileHashKey.objects.bulk_create(FileHashKey(file=current, key=key) for key in fp.keys)
            store_local_features(current.pk, job.features)
            current.search_queued_at = current.processed_at  # copy_search.py, queued by tasks.process_file
            Match.objects.filter(file=current).delete()
            Match.objects.bulk_create(matching.as_match(current.pk, found) for found in job.matches)
            # WRK-10: the fingerprint enters the proof log in the same transaction, so a file is accepted
            # exactly when its leaf exists (a job after commit could be lost between the two).
            proof_append(
                work_id=current.work_id,
                file_id=current.pk,
                owner_id=Work.objects.values_list("owner_id", flat=True).get(pk=current.work_id),
                sha256=current.sha256,
                phash=fp.phash,
                dhash=fp.dhash,
                keys=fp.keys,
            )
        current.save()
        transaction.on_commit(lambda: work_checks_finished(work_id=current.work_id))
    return True


def store_local_features(file_id: int, features: local.LocalFeatures) -> None:
    """Inside the caller's transaction: the file's candidate keys as rows and its features as one blob."""
    FileLocalKey.objects.filter(file_id=file_id).delete()
    FileLocalKey.objects.bulk_create(
        FileLocalKey(file_id=file_id, key=key) for key in local.candidate_keys(features)
    )
    # Replaced rather than updated: two statements, where update_or_create takes two savepoints, a locking
    # read and the write (issue 14).
    FileFeatures.objects.filter(file_id=file_id).delete()
    FileFeatures.objects.create(file_id=file_id, blob=features.to_bytes())


def give_up(file_id: int, refusal: FileRefused, *, token: str | None = None) -> None:
    """Refuse a file whose run did not end by itself: the last retry failed for a reason outside the file
    (the scanner stayed unreachable), or the run outlived the time limit. With ``token``, only while that
    run still holds the file."""
    rows = WorkFile.objects.filter(pk=file_id, status=WorkFile.Status.PENDING)
    row = (rows.filter(claimed_by=token) if token else rows).first()
    if row is not None:
        _finish(row, None, refusal)


def stalled_files() -> list[int]:
    """Pending files whose job was lost: never claimed for a while, or claimed by a run that died."""
    now = timezone.now()
    pending = WorkFile.objects.filter(status=WorkFile.Status.PENDING, work__status=Work.Status.PROCESSING)
    never = pending.filter(claimed_at__isnull=True, uploaded_at__lt=now - NEVER_CLAIMED)
    abandoned = pending.filter(claimed_at__lt=now - STALE)
    return sorted(set(never.values_list("pk", flat=True)) | set(abandoned.values_list("pk", flat=True)))
