"""A reporter without an account proves an address with a mailed code (RPT-1), through accounts' EmailCodes."""

import re

import pytest
from django.core import mail

from inspiracle.core.errors import ApplicationError
from inspiracle.reports.models import EmailProof
from inspiracle.reports.services import email_from_pass, email_proof_confirm, email_proof_start
from inspiracle.reports.services.intake import CODE_ATTEMPTS

pytestmark = pytest.mark.django_db


def mailed_code(django_capture_on_commit_callbacks, address: str) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        email_proof_start(email=address)
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_the_right_code_gives_a_pass_for_that_address(django_capture_on_commit_callbacks):
    """REQ: RPT-1"""
    code = mailed_code(django_capture_on_commit_callbacks, "Rita@Example.com")
    assert (
        email_from_pass(email_proof_confirm(email="rita@example.com", code=f" {code} ")) == "rita@example.com"
    )
    assert EmailProof.objects.get().verified_at is not None


def test_wrong_guesses_are_counted_and_then_even_the_right_code_is_refused(
    django_capture_on_commit_callbacks,
):
    """REQ: RPT-1: the guess limit holds; each wrong guess is committed although the request fails."""
    code = mailed_code(django_capture_on_commit_callbacks, "rita@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _n in range(CODE_ATTEMPTS):
        with pytest.raises(ApplicationError) as refused:
            email_proof_confirm(email="rita@example.com", code=wrong)
        assert refused.value.fields["code"]
    assert EmailProof.objects.get().attempts == CODE_ATTEMPTS
    with pytest.raises(ApplicationError):
        email_proof_confirm(email="rita@example.com", code=code)


def test_a_forged_pass_is_refused():
    """REQ: RPT-1"""
    with pytest.raises(ApplicationError) as refused:
        email_from_pass("rita@example.com")
    assert refused.value.code == "email_unverified"
