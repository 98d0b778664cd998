"""Dependencies point one way: reports -> licensing -> messaging -> (pipeline.documents, standing, works).
Neither licensing nor messaging imports an app above it, so no cycle can form between them."""

from pathlib import Path

from inspiracle.core.testing import module_imports

ROOT = Path(__file__).resolve().parents[2]
ABOVE = {
    "messaging": ("inspiracle.licensing", "inspiracle.reports", "inspiracle.moderation", "inspiracle.staff"),
    "licensing": ("inspiracle.reports", "inspiracle.moderation", "inspiracle.staff"),
}


def test_licensing_and_messaging_never_import_the_apps_above_them():
    offenders = {}
    for app, above in ABOVE.items():
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts:
                continue
            found = sorted(name for name in module_imports(path) if name.startswith(above))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
