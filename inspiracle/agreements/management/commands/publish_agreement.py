from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspiracle.agreements.selectors import document_get
from inspiracle.agreements.services import documents_ensure, version_publish
from inspiracle.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Publish a new version of an agreement from Markdown files (AGR-3)."

    def add_arguments(self, parser):
        parser.add_argument(
            "document",
            help="service-agreement, privacy-policy, upload-compliance or creator-display-authorization",
        )
        parser.add_argument("--zh", required=True, type=Path, help="Simplified Chinese text, Markdown")
        parser.add_argument("--en", required=True, type=Path, help="English text, Markdown")
        parser.add_argument("--effective", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--reaccept", action="store_true", help="users must accept it again to upload")
        parser.add_argument("--summary-zh", default="")
        parser.add_argument("--summary-en", default="")

    def handle(self, *args, **o):
        documents_ensure()
        try:
            version = version_publish(
                actor=None,
                document=document_get(o["document"]),
                text_zh=o["zh"].read_text(encoding="utf-8"),
                text_en=o["en"].read_text(encoding="utf-8"),
                effective_date=o["effective"],
                requires_reacceptance=o["reaccept"],
                summary_zh=o["summary_zh"],
                summary_en=o["summary_en"],
            )
        except (ApplicationError, OSError) as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in getattr(exc, "fields", {}).items())
            raise CommandError(f"{exc} {details}".strip()) from exc
        self.stdout.write(
            f"published {version.label}, in force from {version.effective_date}"
            f"{' (re-acceptance required)' if version.requires_reacceptance else ''}"
        )
