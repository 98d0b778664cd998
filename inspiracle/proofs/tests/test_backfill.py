"""Files accepted before the proof log existed get their leaves: in order of acceptance, once, resumably.
REQ: WRK-10 throughout."""

import json
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.proofs import keys
from inspiracle.proofs.backfill import proofs_backfill
from inspiracle.proofs.bundle import verify_bundle
from inspiracle.proofs.models import ProofLeaf
from inspiracle.proofs.services import certificate, proofs_verify, tree_head_sign
from inspiracle.works.models import WorkFile


@pytest.fixture
def before_the_log(submit, monkeypatch):
    """``before_the_log(seeds)``: works whose files were accepted while the pipeline appended nothing, each
    accepted a day apart, the newest first in id order (so that acceptance order differs from id order)."""

    def make(seeds):
        monkeypatch.setattr("inspiracle.pipeline.runner.proof_append", lambda **kwargs: None)
        works = [submit(seed=seed) for seed in seeds]
        monkeypatch.undo()
        now = timezone.now()
        for age, work in enumerate(works):
            WorkFile.objects.filter(work=work).update(processed_at=now - timedelta(days=age + 1))
        return works

    return make


def test_the_backfill_appends_accepted_files_in_order_of_acceptance(before_the_log, capsys):
    """REQ: WRK-10"""
    works = before_the_log([31, 32, 33])
    assert not ProofLeaf.objects.exists()
    call_command("proofs_backfill")
    assert "3 files appended" in capsys.readouterr().out
    tree_head_sign()  # the beat job's turn: certificates are served against signed heads only
    leaves = list(ProofLeaf.objects.order_by("index"))
    # Oldest acceptance first: the last work made was accepted earliest.
    assert [leaf.work_id for leaf in leaves] == [w.pk for w in reversed(works)]
    for leaf in leaves:
        accepted = WorkFile.objects.get(pk=leaf.file_id).processed_at
        assert json.loads(leaf.leaf)["accepted_at"] == accepted.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        verify_bundle(json.dumps(certificate(file_id=leaf.file_id)).encode(), public_key=keys.public_key())
    assert proofs_verify().intact
    assert AuditEvent.objects.filter(action="proofs.backfilled").count() == 1


def test_the_backfill_is_idempotent_and_resumable(before_the_log, submit):
    """REQ: WRK-10"""
    before_the_log([34, 35, 36])
    assert proofs_backfill(limit=1).appended == 1  # a run stopped after one file
    live = submit(seed=37)  # meanwhile the pipeline appends a new file itself
    assert proofs_backfill(batch=1).appended == 2  # the next run carries on
    assert proofs_backfill().appended == 0  # nothing twice
    assert ProofLeaf.objects.count() == 4
    assert ProofLeaf.objects.filter(work_id=live.pk).count() == 1
    assert list(ProofLeaf.objects.values_list("index", flat=True)) == [0, 1, 2, 3]
    assert proofs_verify().intact


def test_files_without_a_fingerprint_are_named_not_appended(before_the_log, capsys):
    """REQ: WRK-10"""
    (work,) = before_the_log([38])
    WorkFile.objects.filter(work=work).update(phash=None)
    call_command("proofs_backfill")
    captured = capsys.readouterr()
    assert "0 files appended" in captured.out and "no perceptual hash" in captured.err
    assert not ProofLeaf.objects.exists()


def test_a_file_without_processed_at_takes_its_place_by_upload_time_on_every_database(before_the_log):
    """A file without ``processed_at`` is ordered by ``uploaded_at`` (the time its leaf states), not first on
    SQLite and last on PostgreSQL. REQ: WRK-10"""
    newest, middle, oldest = before_the_log([39, 40, 41])  # processed a day apart, the first made newest
    between = WorkFile.objects.get(work=middle)
    WorkFile.objects.filter(pk=between.pk).update(processed_at=None, uploaded_at=between.processed_at)
    proofs_backfill()
    order = list(ProofLeaf.objects.order_by("index").values_list("work_id", flat=True))
    assert order == [oldest.pk, middle.pk, newest.pk]
