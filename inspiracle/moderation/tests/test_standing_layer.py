"""The sanction reads live below accounts and works (decision 0014): they must stay in step with the model and
keep the lower layers free of imports of moderation."""

from pathlib import Path

from inspiracle import standing
from inspiracle.core.testing import module_imports
from inspiracle.moderation.models import Sanction

ROOT = Path(standing.__file__).parent


def test_every_kind_of_sanction_says_what_it_stops_and_nothing_else_is_listed():
    assert set(standing.STOPS) == set(Sanction.Kind.values)
    assert standing.sanction_model() is Sanction


def test_accounts_works_and_the_standing_module_never_import_moderation_at_run_time():
    files = [ROOT / "standing.py"]
    for app in ("accounts", "works"):
        files += [p for p in (ROOT / app).rglob("*.py") if "tests" not in p.parts]
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            m for m in module_imports(p) if m.startswith("inspiracle.moderation")
        )
        for p in files
    }
    # standing.py names the model for the type checker only, under TYPE_CHECKING.
    offenders["standing.py"] = [m for m in offenders["standing.py"] if m != "inspiracle.moderation.models"]
    assert {path: mods for path, mods in offenders.items() if mods} == {}
