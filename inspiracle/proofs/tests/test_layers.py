"""The proof log sits below pipeline and works: they call it; it never imports moderation, reports, licensing
or the pipeline. REQ: WRK-10"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
ABOVE = ("inspiracle.moderation", "inspiracle.reports", "inspiracle.licensing", "inspiracle.pipeline")


def test_the_proof_log_never_imports_the_apps_above_it():
    offenders = {}
    for path in APP.rglob("*.py"):
        if "tests" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found = sorted(name for name in names if name.startswith(ABOVE))
        if found:
            offenders[path.name] = found
    assert offenders == {}
