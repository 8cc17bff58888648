"""Production code never depends on the development tooling (the synthetic county)."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = [p for p in ("recall", "voters", "petitions", "matching") if (ROOT / p).is_dir()]


def _production_files():
    for package in PRODUCTION:
        yield from sorted((ROOT / package).rglob("*.py"))


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _devtools_imports(path: Path):
    return [m for m in _imported_modules(path) if m == "devtools" or m.startswith("devtools.")]


def test_the_walk_sees_the_production_packages_and_would_see_a_devtools_import():
    files = list(_production_files())
    assert {"recall", "voters", "petitions"} <= set(PRODUCTION)
    assert ROOT / "voters" / "services.py" in files
    # The detector fires on a module that does import devtools (the generator's own).
    assert "devtools.synthetic.tables" in _devtools_imports(ROOT / "devtools/synthetic/roll.py")


def test_no_production_module_imports_devtools():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _production_files()
        for module in _devtools_imports(path)
    ]
    assert offenders == []


# Imports every production module after django.setup() (which loads the installed apps, devtools'
# AppConfig among them) and reports which devtools modules are then loaded.
_PROBE = """
import importlib, json, pkgutil, sys
import django
django.setup()
failed = []
for package in sys.argv[1:]:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            failed.append(f"{info.name}: {exc!r}")
print(json.dumps({
    "loaded": sorted(m for m in sys.modules if m == "devtools" or m.startswith("devtools.")),
    "voters_services": "voters.services" in sys.modules,
    "failed": failed,
}))
"""


def test_importing_the_production_apps_does_not_load_the_synthetic_county():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "recall.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *PRODUCTION],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["voters_services"]  # the walk did import the apps' modules
    assert probe["failed"] == []
    assert "devtools.synthetic" not in probe["loaded"]
    assert set(probe["loaded"]) <= {"devtools", "devtools.apps"}
