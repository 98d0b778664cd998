"""pytest plugin: one real clamd per test session, and every test scans through it (WRK-2).

Register it with ``pytest_plugins = ["inspiracle.pipeline.pytest_clamd"]``. A test that needs the
"no scanner configured" path sets ``settings.CLAMD_ADDRESS = ""`` itself.
"""

import shutil
import tempfile
from pathlib import Path

import pytest

from inspiracle.pipeline.clamd_server import ClamdServer, start_clamd


@pytest.fixture(scope="session")
def clamd_server():
    # mkdtemp rather than tmp_path_factory: pytest's paths can exceed the unix socket path limit.
    workdir = Path(tempfile.mkdtemp(prefix="clamd-"))
    server = start_clamd(workdir)
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(autouse=True)
def clamd(clamd_server: ClamdServer, settings) -> ClamdServer:
    settings.CLAMD_ADDRESS = clamd_server.address
    return clamd_server
