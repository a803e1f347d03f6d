"""The layout of the suite (issue 19 §6): helpers live in ``tests/helpers/`` or in fixtures (``conftest.py``), never
imported from a test module. A test module imported by another runs its module-level code twice, under two names,
and ties one file's tests to another's internals."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _is_test_module(module: str) -> bool:
    """``tests.a.test_b`` (or a module inside a ``test_*`` package) names a test module of the suite."""
    parts = module.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts[1:])


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (at any depth: inside functions too), relative imports resolved."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            # ``from tests.x import test_y`` imports the test module itself
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names
                      if alias.name.startswith("test_")]
    return sorted(found)


def imports_of_test_modules(root: Path = TESTS) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in sorted(root.rglob("*.py"))
            for line, module in _imported_modules(path)
            if _is_test_module(module)]


def test_no_module_under_tests_imports_from_a_test_module():
    offenders = imports_of_test_modules()
    assert not offenders, (
        "helpers belong in tests/helpers/ (or a fixture in conftest.py), not in test modules; move these:\n"
        + "\n".join(offenders))


def test_the_check_sees_absolute_relative_and_nested_imports(tmp_path, monkeypatch):
    package = tmp_path / "tests" / "things"
    package.mkdir(parents=True)
    (package / "test_b.py").write_text(
        "from tests.things.test_a import helper\n"
        "from .test_a import other\n"
        "from tests.things import test_a\n"
        "import tests.test_c\n"
        "def f():\n"
        "    from tests.helpers.forms import form_data\n"
        "    from tests.test_d import nested\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert imports_of_test_modules(tmp_path / "tests") == [
        "tests/things/test_b.py:1 imports tests.things.test_a",
        "tests/things/test_b.py:2 imports tests.things.test_a",
        "tests/things/test_b.py:3 imports tests.things.test_a",
        "tests/things/test_b.py:4 imports tests.test_c",
        "tests/things/test_b.py:7 imports tests.test_d",
    ]
