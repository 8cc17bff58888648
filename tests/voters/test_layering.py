"""Apps depend one way: petitions uses voters, never the reverse (not even lazily)."""

import ast
from pathlib import Path

import voters

VOTERS = Path(voters.__file__).resolve().parent


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names, at any depth (inside functions too)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _reaches_petitions(module: str) -> bool:
    return module == "petitions" or module.startswith("petitions.")


def test_the_walk_finds_lazy_imports_inside_functions():
    tree = ast.parse("def f():\n    from petitions.tasks import x\n    import petitions.models\n")
    assert [m for _, m in imported_modules(tree) if _reaches_petitions(m)] == [
        "petitions.tasks", "petitions.tasks.x", "petitions.models",
    ]  # fmt: skip


def test_voters_imports_nothing_of_petitions():
    modules = sorted(VOTERS.rglob("*.py"))
    assert len(modules) > 10  # the walk really reads the package
    offenders = [
        f"{path.relative_to(VOTERS.parent)}:{line}: {module}"
        for path in modules
        for line, module in imported_modules(ast.parse(path.read_text(), str(path)))
        if _reaches_petitions(module)
    ]
    assert offenders == []
