"""The layout of the suite (issue 19 §6): helpers live in ``tests/helpers/`` or in fixtures (``conftest.py``), never
imported from a test module. A test module imported by another runs its module-level code twice, under two names,
and ties one file's tests to another's internals."""
import ast
from pathlib import Path

from tests.helpers.markers import database_independent_misuse

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


class _Item:
    """What ``database_independent_misuse`` reads of a collected test: its markers and fixture names."""

    def __init__(self, markers: tuple[str, ...], fixturenames: tuple[str, ...] = ()):
        self.markers, self.fixturenames = markers, fixturenames

    def get_closest_marker(self, name: str):
        return name if name in self.markers else None


def test_a_database_independent_test_that_reaches_a_database_is_refused():
    """.ci/run's PostgreSQL pass leaves ``database_independent`` tests to the SQLite pass: one that asks for the
    database would never be run on PostgreSQL, so collection stops with the reason."""
    assert database_independent_misuse(_Item(("database_independent",), ("tmp_path", "settings"))) is None
    assert database_independent_misuse(_Item(("database_independent",), ("django_db_blocker",))) is None
    assert database_independent_misuse(_Item(("database_independent",), ("client", "tmp_path"))) == \
        "it asks for client"
    assert database_independent_misuse(_Item(("database_independent", "django_db"))) == "it is marked django_db"
    assert database_independent_misuse(_Item(("django_db",), ("client",))) is None  # not marked: runs in both passes


def cache_clears(root: Path = TESTS) -> list[str]:
    """Every ``….clear()`` call on a name ``cache`` (or ``caches[…]``) under ``root``, but inside ``cache_empty``
    itself (which clears a cache of local memory, one per process)."""
    found = []

    def visit(node, path: Path):
        if isinstance(node, ast.FunctionDef) and node.name == "cache_empty":
            return
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "clear"
                and ast.unparse(node.func.value).startswith(("cache", "caches["))):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, path)

    for path in sorted(root.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), path)
    return found


def test_no_test_empties_the_whole_cache():
    """``cache.clear()`` on Redis is ``FLUSHDB``: it empties the keys of the run's other test process too (``make
    test`` runs two on one Redis database). Tests call ``tests.helpers.database.cache_empty`` (their own keys)."""
    offenders = cache_clears()
    assert not offenders, "use tests.helpers.database.cache_empty() instead of cache.clear():\n" + "\n".join(offenders)
