"""privacy sits above every app it erases across; nothing imports it (settings and URL configuration name it)."""

from pathlib import Path

from inspiracle.core.testing import module_imports

ROOT = Path(__file__).resolve().parents[2]


def test_no_other_app_imports_privacy():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "privacy" not in path.relative_to(ROOT).parts[:1]
        and any(name.startswith("inspiracle.privacy") for name in module_imports(path))
    ]
    assert offenders == []
