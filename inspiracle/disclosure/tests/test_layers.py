"""Where disclosure sits (docs/architecture.md): above accounts, works, audit and notifications; no app imports
it (only config wires its pages and API), and ``status`` is written by ``transitions.py`` alone."""

import re
from pathlib import Path

from inspiracle.core.testing import module_imports

APP = Path(__file__).resolve().parents[1]
ROOT = APP.parent


def test_no_other_app_imports_disclosure():
    importers = [
        path
        for path in ROOT.rglob("*.py")
        if APP not in path.parents
        and any(name.startswith("inspiracle.disclosure") for name in module_imports(path))
    ]
    assert importers == []


def test_status_is_written_only_by_the_transitions_module():
    writers = [
        path.name
        for path in APP.rglob("*.py")
        if "tests" not in path.parts
        and re.search(r"\.status\s*=[^=]|\.update\([^)]*status", path.read_text())
    ]
    assert writers == ["transitions.py"]
