"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

No ``playwright install``: the browser is the system one (see DESIGN.md, "browser tests"). The live server
runs in a thread of this process and Playwright's sync API runs an event loop in the test thread, so Django's
async-safety check has to be relaxed for database access from the test.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory  # noqa: E402
from inspiracle.shop.catalogue import catalogue_install  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def site(transactional_db, live_server) -> str:
    """The live site with the shipped agreements in force; returns its base URL (no trailing slash)."""
    agreements_load_directory(directory=DEFAULTS_DIR)
    catalogue_install(django_apps)  # the shop's catalogue, emptied by the transactional tests before
    return live_server.url


@pytest.fixture
def screenshots_dir(pytestconfig) -> Path:
    """Playwright's output folder (``--output``, test-results/ unless told): CI gives each of its runs that
    go side by side a folder of its own, so that they neither overwrite nor empty each other's."""
    path = REPO_ROOT / pytestconfig.getoption("--output")
    path.mkdir(parents=True, exist_ok=True)
    return path
