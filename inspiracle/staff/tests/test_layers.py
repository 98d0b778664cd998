"""The staff console sits above accounts, works, moderation and reports: its notes and deadline reminders point
down to them, and no module of another app imports the staff app (their pages show the notes through the
``staff_notes`` template tag, a template-level include like the staff menu)."""

from pathlib import Path

from inspiracle.core.testing import module_imports

ROOT = Path(__file__).resolve().parents[2]


def test_no_other_app_imports_the_staff_app():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "staff" or "tests" in relative.parts:
            continue
        found = sorted(name for name in module_imports(path) if name.startswith("inspiracle.staff"))
        if found:
            offenders[str(relative)] = found
    assert offenders == {}
