"""Works and their files (WRK-1 to WRK-9, WRK-11).

A work is private until staff publish it (WRK-3); every file lives in the private storage and is handed out
only by views that check access first. What the pipeline learns about a file (type, size, scan, hashes,
derivatives, refusal reason) is kept on the file's row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.core.storage import private_storage
from inspiracle.pipeline.errors import reason_message
from inspiracle.pipeline.provenance import ai_label_kind


class Category(models.TextChoices):
    ILLUSTRATION = "illustration", _("Illustration")
    DESIGN = "design", _("Design")
    CHARACTER = "character", _("Character and IP")
    PHOTOGRAPHY = "photography", _("Photography")
    PATTERN = "pattern", _("Pattern")
    LOGO = "logo", _("Logo and brand identity")
    OTHER = "other", _("Other")


class AIUse(models.TextChoices):
    """WRK-11: what the uploader declares."""

    NONE = "none", _("No AI")
    ASSISTED = "assisted", _("AI-assisted")
    GENERATED = "generated", _("AI-generated")


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Work(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        REJECTED = "rejected", _("Rejected by checks")
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        DECLINED = "declined", _("Rejected in review")
        PUBLISHED = "published", _("Published")
        TAKEN_DOWN = "taken_down", _("Taken down")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DELETED = "deleted", _("Deleted")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="works")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="works")
    ai_use = models.CharField(_("AI use"), max_length=10, choices=AIUse.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROCESSING)

    # WRK-1: the uploader confirmed owning the work or being authorized, at this moment.
    rights_confirmed_at = models.DateTimeField()
    # WRK-4: the platform's display licence, granted by this agreement version.
    licence_version = models.ForeignKey("agreements.Version", on_delete=models.PROTECT, related_name="+")
    # WRK-5 / WRK-6: reposting is off by default and impossible while the exclusive mark stands.
    repost_allowed = models.BooleanField(_("allow reposting with attribution"), default=False)
    exclusive_since = models.DateTimeField(null=True, blank=True)
    # COM-3: the mark stands for an exclusive deal's term and is lifted by itself when the term ends.
    exclusive_until = models.DateTimeField(null=True, blank=True)
    # COM-1: the owner accepts licensing requests for this work (on by default).
    open_to_licensing = models.BooleanField(_("open to licensing requests"), default=True)
    # WRK-11: on by default for every work.
    no_ai_training = models.BooleanField(_("no AI training"), default=True)

    # WRK-7: kept for every work (authority requests, PRV-5).
    uploaded_at = models.DateTimeField(default=timezone.now)
    upload_ip = models.GenericIPAddressField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpublished_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped by every edit that sends the work back through the checks and review (WRK-8).
    revision = models.PositiveIntegerField(default=1)
    # MOD-3: terms from the screening list found in the title or description, for the reviewer.
    screening_hits = models.JSONField(default=list, blank=True)
    # MOD-4: parts staff masked on a published work; the public sees a placeholder instead.
    title_masked_at = models.DateTimeField(null=True, blank=True)
    description_masked_at = models.DateTimeField(null=True, blank=True)
    # The gallery's "most viewed" order: visitors who opened the public page, each once a day (works/popularity.py
    # is its only writer).
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="work_status_published"),
            models.Index(fields=["owner", "status"], name="work_owner_status"),
            models.Index(fields=["status", "-view_count", "-published_at"], name="work_status_views"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, published_by__isnull=False),
                name="work_published_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(repost_allowed=False) | Q(exclusive_since__isnull=True),
                name="work_exclusive_no_repost",
            ),
            models.CheckConstraint(
                condition=~Q(status="deleted") | Q(deleted_at__isnull=False), name="work_deleted_has_time"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def shown_title(self) -> str:
        """The title as the public sees it (MOD-4)."""
        return str(_("(title hidden by the platform)")) if self.title_masked_at else self.title

    @property
    def shown_description(self) -> str:
        return "" if self.description_masked_at else self.description

    @property
    def is_exclusive(self) -> bool:
        return self.exclusive_since is not None

    @property
    def is_final(self) -> bool:
        """The checks are over: nothing will change by itself any more."""
        return self.status != self.Status.PROCESSING


class WorkFile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being checked")
        READY = "ready", _("Passed the checks")
        REFUSED = "refused", _("Refused")

    class Scan(models.TextChoices):
        UNKNOWN = "", _("Not yet scanned")
        CLEAN = "clean", _("No malware found")
        NOT_SCANNED = "not_scanned", _("Not scanned: no malware scanner is configured")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(default=0)
    original = models.FileField(storage=private_storage, upload_to="works/originals/", blank=True)
    original_name = models.CharField(max_length=150)
    size = models.BigIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    refusal_code = models.CharField(max_length=30, blank=True)
    refusal_params = models.JSONField(default=dict, blank=True)
    scan = models.CharField(max_length=12, choices=Scan.choices, blank=True, default="")

    format = models.CharField(max_length=8, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    frames = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(storage=private_storage, blank=True)
    preview = models.FileField(storage=private_storage, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    phash = models.BigIntegerField(null=True, blank=True)
    dhash = models.BigIntegerField(null=True, blank=True)
    # WRK-11: AI provenance labels embedded in the file (IPTC digital source type, C2PA), as read.
    ai_labels = models.JSONField(default=list, blank=True)
    # MOD-4: staff masked this file; only its owner and staff still see it.
    masked_at = models.DateTimeField(null=True, blank=True)

    # The job's bookkeeping: who holds the file, how often it was tried, how long each step took (ms).
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    # Set while the search for copies of a part (pipeline/copy_search.py) has yet to run on an accepted file:
    # when it was last queued. The work cannot be published until it has run (decision 0027).
    search_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_code=""), name="workfile_refused_has_reason"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def refusal_message(self) -> str:
        return reason_message(self.refusal_code, self.refusal_params) if self.refusal_code else ""

    @property
    def searching(self) -> bool:
        """The search for copies of a part of this file has not finished yet (WRK-9)."""
        return self.search_queued_at is not None

    @property
    def ai_embedded(self) -> str | None:
        """WRK-11: what the file's own labels say ("generated", "assisted"), None when they say nothing."""
        return ai_label_kind(self.ai_labels)

    def stored_names(self) -> list[tuple[str, str]]:
        """(field, storage name) of every blob this row refers to."""
        return [(f, getattr(self, f).name) for f in ("original", "thumbnail", "preview") if getattr(self, f)]


class FileHashKey(models.Model):
    """A perceptual-hash key of a file that passed the checks, as the similarity index stores it (WRK-9)."""

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="hash_keys")
    key = models.BigIntegerField()

    def __str__(self):
        return f"{self.file_id}:{self.key:x}"


class FileLocalKey(models.Model):
    """A candidate key of a file's local features (similarity/local.py): at most 64 per file, searched like the
    perceptual keys, so that a crop, a border or a screenshot of the file is found (WRK-9, decision 0024)."""

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="local_keys")
    key = models.BigIntegerField()

    def __str__(self):
        return f"{self.file_id}:{self.key:x}"


class FileFeatures(models.Model):
    """A file's local features as one blob (about 15 KB), read only to verify a candidate. A table of its own
    so that no query of ``WorkFile`` drags the blob along."""

    file = models.OneToOneField(WorkFile, on_delete=models.CASCADE, primary_key=True, related_name="features")
    blob = models.BinaryField()

    def __str__(self):
        return f"features of {self.file_id}"


class Match(models.Model):
    """A file found to be the same as, or close to, a file of another work (WRK-9), for the reviewer.

    ``distance`` is the perceptual-hash distance (of 64 bits). A match found by local features also says how
    many keypoints agreed, whether the copy is mirrored, and where the shared region lies in each picture, as
    fractions (left, top, right, bottom) of its width and height.
    """

    class Kind(models.TextChoices):
        EXACT = "exact", _("Exact copy")
        NEAR = "near", _("Near-duplicate")
        LOCAL = "local", _("Shared region")

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    distance = models.PositiveSmallIntegerField()
    inliers = models.PositiveSmallIntegerField(null=True, blank=True)
    mirrored = models.BooleanField(default=False)
    file_box = models.JSONField(null=True, blank=True)
    other_box = models.JSONField(null=True, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["distance", "pk"]
        constraints = [models.UniqueConstraint(fields=["file", "other"], name="one_match_per_pair")]

    def __str__(self):
        return f"{self.file_id} ~ {self.other_id} ({self.kind}, {self.distance})"

    @property
    def file_rect(self) -> dict[str, float] | None:
        """The shared region in this file as x, y, width, height fractions, for drawing; None if unknown."""
        return _rect(self.file_box)

    @property
    def other_rect(self) -> dict[str, float] | None:
        return _rect(self.other_box)


def _rect(box: list[float] | None) -> dict[str, float] | None:
    if not box or len(box) != 4:
        return None
    left, top, right, bottom = (min(1.0, max(0.0, float(v))) for v in box)
    return {"x": left, "y": top, "w": max(0.0, right - left), "h": max(0.0, bottom - top)}


class ScreeningTerm(models.Model):
    """A term that flags a title or description for the reviewer (MOD-3). Staff keep the list."""

    term = models.CharField(max_length=80, unique=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class WorkView(models.Model):
    """One visitor counted for one work on one day (works/popularity.py): the unique constraint is what makes
    the count exactly once a day, whichever server process saw the view. ``visitor`` is a keyed hash (HMAC
    with the secret key) of the account or address, never the address itself; rows of past days are pruned
    (OPS-3, staff/housekeeping.py)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            # The day first: the nightly prune deletes by day through this index.
            models.UniqueConstraint(fields=["day", "work", "visitor"], name="work_view_once_a_day"),
        ]

    def __str__(self):
        return f"view of {self.work_id} on {self.day}"
