"""Local features for files accepted before the pipeline took them (decision 0024), so that copies of a part of
an older work are found too.

Each file's original is decoded again with the pipeline's own limits (it passed them once) and its features
stored in a transaction of its own, under the file's row lock and only if it still has none: a run that stops
keeps what it did, two runs never store a file twice, and a file the pipeline accepts meanwhile gets its
features from the pipeline. A file whose original cannot be read any more is counted, not retried for ever.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from inspiracle.pipeline import imaging
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.matching import GONE
from inspiracle.pipeline.originals import original_path
from inspiracle.pipeline.runner import store_local_features
from inspiracle.similarity import local
from inspiracle.works.models import FileFeatures, WorkFile

log = logging.getLogger(__name__)


@dataclass
class FeaturesReport:
    stored: int = 0
    unreadable: list[int] = field(default_factory=list)


def _waiting():
    return (
        WorkFile.objects.filter(status=WorkFile.Status.READY, features__isnull=True)
        .exclude(original="")
        .exclude(work__status__in=GONE)
        .order_by("pk")
    )


def features_backfill(*, limit: int | None = None) -> FeaturesReport:
    """Store local features of every accepted file that has none (at most ``limit``), oldest first."""
    report = FeaturesReport()
    after = 0
    while limit is None or report.stored + len(report.unreadable) < limit:
        row = _waiting().filter(pk__gt=after).only("pk", "original").first()
        if row is None:
            break
        after = row.pk
        try:
            with original_path(row.original.name or "") as path:
                image = imaging.decode(path, max_pixels=settings.IMAGE_MAX_PIXELS)
        except (OSError, FileRefused) as exc:  # decode turns every decoder error into FileRefused
            log.warning(
                "features backfill: original unreadable", extra={"file": row.pk, "error": type(exc).__name__}
            )
            report.unreadable.append(row.pk)
            continue
        features = local.extract(image)
        with transaction.atomic():
            # The row locked, then checked again: the pipeline or a second backfill may have got there first.
            # (Not through _waiting(): PostgreSQL cannot lock rows through the outer join to the features.)
            # A deleted work's files lose their originals in the deleting transaction.
            locked = (
                WorkFile.objects.select_for_update()
                .filter(pk=row.pk, status=WorkFile.Status.READY)
                .exclude(original="")
            )
            if locked.exists() and not FileFeatures.objects.filter(file_id=row.pk).exists():
                store_local_features(row.pk, features)
                report.stored += 1
    return report
