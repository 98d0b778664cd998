"""Carrying out a cancellation after the cooling-off (ACC-3): what is erased, what is kept, resuming after a
crash, legal holds, and the beat job."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from inspiracle.accounts.models import ApiToken, Profile, RegistrationInfo, User, UserSession
from inspiracle.accounts.services.profile import avatar_set
from inspiracle.accounts.tokens import token_authenticate
from inspiracle.agreements.models import Consent
from inspiracle.audit.models import AuditEvent
from inspiracle.core.storage import private_storage
from inspiracle.core.testing import PASSWORD, image_bytes
from inspiracle.licensing.models import LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.licensing.tests.conftest import bea, terms  # noqa: F401  (fixtures)
from inspiracle.privacy import anonymize, tasks
from inspiracle.privacy.services import cancellation_request, legal_hold_place, legal_hold_release
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db


def files_of(work: Work) -> list[str]:
    return [name for f in WorkFile.objects.filter(work=work) for _field, name in f.stored_names()]


@pytest.fixture
def leaving(ana, ben, bea, published_work, terms, client_for, django_capture_on_commit_callbacks):  # noqa: F811
    """Ana: a work with nothing open, a work licensed to Ben (a running deal), Bea's open request on the first,
    a session, a token, an avatar; she asks to cancel. Returns (ana, free work, licensed work, her files)."""
    free, licensed = published_work(seed=1), published_work(title="Autumn", seed=2)
    request_accept(
        request=request_send(requester=ben, work_ids=[licensed.pk], data=terms()), by=ana, number=1
    )
    request_send(requester=bea, work_ids=[free.pk], data=terms())
    client_for(ana).get("/accounts/me/")
    token_client(ana)
    with django_capture_on_commit_callbacks(execute=True):
        avatar_set(user=ana, data=image_bytes(seed=7))
    assert Profile.objects.get(user=ana).avatar
    with django_capture_on_commit_callbacks(execute=True):
        cancellation_request(user=ana, password=PASSWORD)
    return ana, free, licensed, {"free": files_of(free), "licensed": files_of(licensed)}


def is_done_mail(message) -> bool:
    """The "cancelled" e-mail, in Ana's language (zh-hans) or in English where no translation is compiled."""
    return "cancelled" in message.subject or "已注销" in message.subject


def run(user: User, captured, **kwargs) -> str:
    assert user.cancel_effective_at is not None
    with captured(execute=True):
        return anonymize.account_anonymize(
            user_id=user.pk, now=user.cancel_effective_at + timedelta(minutes=1), **kwargs
        )


def test_after_the_cooling_off_personal_information_is_erased_and_the_law_s_records_kept(
    leaving, django_capture_on_commit_callbacks
):
    """REQ: ACC-3
    GIVEN Ana asked to cancel WHEN the job runs after the cooling-off THEN her registration information,
    profile, avatar, sessions, tokens and address are gone, her username is an anonymous label, her free work
    is deleted with its files, her licensed work unpublished with its files kept, Bea's open request withdrawn,
    the audit log and consents kept, and she is e-mailed at the address she had; she cannot sign in."""
    ana, free, licensed, files = leaving
    audit_before = AuditEvent.objects.filter(actor_id=ana.pk).count()
    consents_before = Consent.objects.filter(user=ana).count()
    mail.outbox.clear()
    assert run(ana, django_capture_on_commit_callbacks) == "done"

    ana.refresh_from_db()
    assert ana.username == f"deleted-{ana.pk}" and not ana.is_active and ana.anonymized_at is not None
    assert not ana.has_usable_password()
    info = RegistrationInfo.objects.get(user=ana)
    assert (info.legal_name, info.mobile, info.mailing_address, info.email, info.email_index) == ("",) * 5
    profile = Profile.objects.get(user=ana)
    assert profile.display_name == ana.username and not profile.avatar and profile.bio == ""
    assert (
        not UserSession.objects.filter(user=ana).exists() and not ApiToken.objects.filter(user=ana).exists()
    )
    free.refresh_from_db()
    licensed.refresh_from_db()
    assert free.status == Work.Status.DELETED and licensed.status == Work.Status.UNPUBLISHED
    assert not any(private_storage().exists(name) for name in files["free"])
    assert files["licensed"] and all(private_storage().exists(name) for name in files["licensed"])
    assert set(LicenceRequest.objects.filter(status="open").values_list("pk", flat=True)) == set()
    assert AuditEvent.objects.filter(actor_id=ana.pk).count() >= audit_before
    assert Consent.objects.filter(user=ana).count() == consents_before
    assert [m.to for m in mail.outbox if is_done_mail(m)] == [["ana@example.com"]]
    assert Client().post("/accounts/signin/", {"username": "ana", "password": PASSWORD}).status_code != 302
    assert (
        Client().post("/accounts/signin/", {"username": ana.username, "password": PASSWORD}).status_code
        != 302
    )


def test_a_job_that_died_half_way_resumes_and_a_second_run_changes_nothing(
    leaving, django_capture_on_commit_callbacks
):
    """REQ: ACC-3"""
    ana, free, _licensed, _files = leaving
    now = ana.cancel_effective_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        anonymize.step_close_access(ana, now)
        anonymize.step_requests(ana, now)  # ... and the worker died here
    mail.outbox.clear()
    assert run(ana, django_capture_on_commit_callbacks) == "done"
    assert run(ana, django_capture_on_commit_callbacks) == "already"
    assert len([m for m in mail.outbox if is_done_mail(m)]) == 1
    assert AuditEvent.objects.filter(action="account.anonymized").count() == 1
    free.refresh_from_db()
    assert free.status == Work.Status.DELETED


def test_a_legal_hold_closes_the_account_but_erases_nothing_until_it_is_released(
    leaving, lee, django_capture_on_commit_callbacks
):
    """REQ: ACC-3
    GIVEN Ana's cancellation is due and a legal officer placed a legal hold on her account WHEN the job runs
    THEN she cannot sign in and her works are unpublished, but her information and files stay; once the hold
    is released, the next run completes the erasure."""
    ana, free, _licensed, files = leaving
    hold = legal_hold_place(actor=lee, username="ana", reason="Court order 2026-17")
    assert run(ana, django_capture_on_commit_callbacks) == "held"
    ana.refresh_from_db()
    free.refresh_from_db()
    assert not ana.is_active and ana.username == "ana" and ana.anonymized_at is None
    assert RegistrationInfo.objects.get(user=ana).legal_name
    assert free.status == Work.Status.UNPUBLISHED and all(private_storage().exists(n) for n in files["free"])
    legal_hold_release(actor=lee, hold_id=hold.pk)
    assert run(ana, django_capture_on_commit_callbacks) == "done"


def test_the_job_does_nothing_before_the_cooling_off_ends(ana, django_capture_on_commit_callbacks):
    """REQ: ACC-3"""
    cancellation_request(user=ana, password=PASSWORD)
    ana.refresh_from_db()
    assert anonymize.account_anonymize(user_id=ana.pk) == "not_due"
    assert tasks.anonymize_due() == 0
    with (
        time_machine.travel(ana.cancel_effective_at + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.anonymize_due() == 1
    ana.refresh_from_db()
    assert ana.anonymized_at is not None
    assert token_authenticate("insp_nothing") is None
