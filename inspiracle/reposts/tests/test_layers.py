"""Dependencies point one way: reports -> reposts -> (works, notifications, outbox, standing). Works never
imports reposts (its page loads reposts' template tag), and reposts imports nothing above it."""

from pathlib import Path

from inspiracle.core.testing import module_imports

ROOT = Path(__file__).resolve().parents[2]
ABOVE = (
    "inspiracle.reports",
    "inspiracle.licensing",
    "inspiracle.moderation",
    "inspiracle.staff",
    "inspiracle.shop",
)


def _sources(app: str):
    return (p for p in (ROOT / app).rglob("*.py") if "tests" not in p.parts)


def test_reposts_imports_no_app_above_it():
    found = {str(p): sorted(n for n in module_imports(p) if n.startswith(ABOVE)) for p in _sources("reposts")}
    assert {path: names for path, names in found.items() if names} == {}


def test_only_reports_imports_reposts():
    importers = set()
    for path in ROOT.rglob("*.py"):
        app = path.relative_to(ROOT).parts[0]
        if app in ("reposts", "reports") or "tests" in path.parts:
            continue
        if any(name.startswith("inspiracle.reposts") for name in module_imports(path)):
            importers.add(str(path.relative_to(ROOT)))
    assert importers == set()
