from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language

from inspiracle.agreements.rendering import fill_placeholders


class Document(models.Model):
    """An agreement users accept (AGR-1): the Service Agreement, the Privacy Policy, ..."""

    slug = models.SlugField(unique=True)
    title_zh = models.CharField(max_length=120)
    title_en = models.CharField(max_length=120)
    required = models.BooleanField(default=True, help_text="Every user must accept it to register (REG-1).")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self):
        return self.slug

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class Version(models.Model):
    """One numbered version of a document. Published versions are never edited (AGR-1): there is no service
    that changes one, and a database trigger refuses UPDATE on this table."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text_zh = models.TextField()
    text_en = models.TextField()
    summary_zh = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    last_updated = models.DateField()
    effective_date = models.DateField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # AGR-4: a version that needs explicit re-acceptance makes users agree again before they may upload.
    requires_reacceptance = models.BooleanField(default=False)

    class Meta:
        ordering = ["document__position", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(effective_date__gte=F("last_updated")), name="version_effective_after_update"
            ),
        ]

    def __str__(self):
        return f"{self.document.slug} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.document.slug}@{self.number}"

    def text(self, language: str | None = None) -> str:
        """The text as readers see it, in ``language`` (default: the active one), placeholders filled."""
        return fill_placeholders(self.text_en if _english(language) else self.text_zh)

    def summary(self, language: str | None = None) -> str:
        return fill_placeholders(self.summary_en if _english(language) else self.summary_zh)


def _english(language: str | None) -> bool:
    return (language or get_language() or "").startswith("en")


class Consent(models.Model):
    """A user's acceptance of one version (REG-2): who, what, when, from where. Never edited or deleted while
    the account exists (a database trigger refuses UPDATE)."""

    class Method(models.TextChoices):
        REGISTRATION = "registration", "registration"
        REACCEPTANCE = "reacceptance", "explicit re-acceptance"
        CONTINUED_USE = "continued_use", "continued use after notice"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="consents")
    method = models.CharField(max_length=16, choices=Method.choices)
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    age_attested = models.BooleanField(default=False, help_text="The user attested being at least 18.")

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version")]

    def __str__(self):
        return f"{self.user_id} accepted {self.version_id}"


class VersionNotice(models.Model):
    """That users were told a version came into force (AGR-4); kept apart because versions are immutable."""

    version = models.OneToOneField(Version, on_delete=models.PROTECT, related_name="notice")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"notice of {self.version_id}"
