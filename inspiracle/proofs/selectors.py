"""Reads of the proof log for pages (WRK-10)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Min

from inspiracle.proofs import keys
from inspiracle.proofs.models import ProofLeaf, TreeHead
from inspiracle.works.models import Work, WorkFile


@dataclass(frozen=True)
class FileProof:
    """One file of a work and its leaf; ``leaf`` is None while the file is not in the log yet."""

    file: WorkFile
    leaf: ProofLeaf | None


def work_file_proofs(work: Work) -> list[FileProof]:
    """The work's accepted files in order, each with its leaf (two queries, whatever the number of files)."""
    files = list(work.files.filter(status=WorkFile.Status.READY).order_by("position", "pk"))
    leaves = {leaf.file_id: leaf for leaf in ProofLeaf.objects.filter(file_id__in=[f.pk for f in files])}
    return [FileProof(file=f, leaf=leaves.get(f.pk)) for f in files]


@dataclass(frozen=True)
class PublicKeyRow:
    """A key that signs or signed tree heads, with the time span of the tree heads it signed."""

    key_id: str
    public_key: str  # the 32 raw bytes, lowercase hex
    pem: str
    current: bool
    first_signed_at: datetime | None
    last_signed_at: datetime | None


def public_key_list() -> list[PublicKeyRow]:
    """Every public key of the installation, the current one first: a certificate names the key that signed
    its tree head, and old tree heads stay verifiable with the retired keys (one query)."""
    rows = TreeHead.objects.values("key_id").annotate(first=Min("signed_at"), last=Max("signed_at"))
    spans: dict[str, dict[str, Any]] = {row["key_id"]: dict(row) for row in rows}
    current = keys.key_id(keys.public_key())
    return [
        PublicKeyRow(
            key_id=kid,
            public_key=keys.raw_public(key).hex(),
            pem=keys.public_pem(key),
            current=kid == current,
            first_signed_at=spans.get(kid, {}).get("first"),
            last_signed_at=spans.get(kid, {}).get("last"),
        )
        for kid, key in keys.public_keys().items()
    ]
