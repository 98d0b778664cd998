"""exports sits above every app it reads (accounts, works, reports, licensing, messaging, shop,
notifications); nothing imports it, so it can never become part of a cycle."""

from pathlib import Path

from inspiracle.core.testing import module_imports

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_imports_exports():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        if "exports" in path.relative_to(ROOT).parts[:1]:
            continue
        if any(name.startswith("inspiracle.exports") for name in module_imports(path)):
            offenders[str(path.relative_to(ROOT))] = True
    assert offenders == {}
