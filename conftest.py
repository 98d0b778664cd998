"""Fixtures every test may use: the agreements in force and a small cast.

The cast: creator Ana, brand Ben (a verified organization), moderator Mo, legal officer Lee, administrator
Ada, reporter Cy, and stranger Sam (registered, but has not accepted the current agreements).
"""

import pytest
from django.test import Client

from inspiracle.accounts.models import User
from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import make_user


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English unless they ask for Chinese; the product's default is zh-hans."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agreements(db):
    """The shipped default agreements, version 1 of each, in force today."""
    return agreements_load_directory(directory=DEFAULTS_DIR)


@pytest.fixture
def ana(agreements):
    return make_user("ana", email="ana@example.com")


@pytest.fixture
def ada(agreements):
    return make_user("ada", role="admin", email="ada@example.com")


@pytest.fixture
def ben(agreements, ada):
    from inspiracle.accounts.services import account_verify

    ben = make_user("ben_brand", kind="organization", email="ben@example.com")
    return account_verify(actor=ada, user=ben, verified=True, reason="certificate checked")


@pytest.fixture
def mo(agreements):
    return make_user("mo", role="moderator")


@pytest.fixture
def lee(agreements):
    return make_user("lee", role="legal_officer")


@pytest.fixture
def cy(agreements):
    return make_user("cy")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return signed_in
