"""Fixtures every test may use: the agreements in force and a small cast.

The cast: creator Ana, brand Ben (a verified organization), moderator Mo, legal officer Lee, administrator
Ada, reporter Cy, and stranger Sam (registered, but has not accepted the current agreements).
"""

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.test import Client

from inspiracle.accounts.models import User
from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import image_bytes, make_user
from inspiracle.shop.catalogue import catalogue_install

# A real ClamAV daemon (the project's own test signatures, tests/clamav/) and an S3 server, both on loopback;
# every task message checked for ids only; on PostgreSQL, a transactional test's tables emptied by DELETE.
pytest_plugins = [
    "inspiracle.pipeline.pytest_clamd",
    "inspiracle.pipeline.pytest_s3",
    "inspiracle.core.pytest_task_messages",
    "inspiracle.core.pytest_fast_flush",
]


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="HH:MM",
        help="run every test with the clock at this UTC time of today (ticking), to prove that no outcome "
        "depends on the hour CI happens to run at; tests that freeze time themselves still do",
    )


@pytest.fixture(autouse=True)
def clock(request):
    at = request.config.getoption("--clock")
    if not at:
        yield None
        return
    import datetime as dt

    import time_machine

    hour, minute = (int(part) for part in at.split(":"))
    moment = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(hour, minute), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def english(settings):
    """Tests read messages in English unless they ask for Chinese; the product's default is zh-hans."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_storage(settings, tmp_path):
    """Every test gets empty storages, so a test can assert exactly which files exist (no leftovers), and
    an empty similarity index, because the database under it is rolled back after each test."""
    from inspiracle.pipeline.matching import reset_index

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    reset_index()
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_cache():
    """Pages keep what they render in the cache (the shop's cards): no test sees what another rendered."""
    cache.clear()


@pytest.fixture
def agreements(db):
    """The shipped default agreements, version 1 of each, in force today; and the shop's shipped catalogue,
    which a data migration installs but a transactional test that ran before emptied with every table."""
    catalogue_install(django_apps)
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


@pytest.fixture
def submit(ana, django_capture_on_commit_callbacks):
    """``submit(title=..., seed=...)``: one of Ana's works, through the API and the checks, awaiting review."""
    from inspiracle.works.models import Work
    from inspiracle.works.tests.test_upload import token_client, upload

    client = token_client(ana)

    def submit(title="Spring rain", seed=1):
        response = upload(
            client, [(f"{seed}.png", image_bytes(seed=seed))], django_capture_on_commit_callbacks, title=title
        )
        return Work.objects.get(pk=response.json()["id"])

    return submit


@pytest.fixture
def published_work(submit, mo):
    """``published_work(title=..., seed=...)``: one of Ana's works, approved by Mo."""
    from inspiracle.moderation.services import review_approve

    def published_work(**kwargs):
        work = submit(**kwargs)
        review_approve(actor=mo, work=work)
        work.refresh_from_db()
        return work

    return published_work
