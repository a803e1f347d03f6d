"""The import-order contract (issue 19 §1): an app imports only the apps at or below it.

Lowest first (docs/architecture.md, "The app order"):

    core → approvals → organizations → assessments → measures → notifications → reports → memos → oit → dashboards
         → public → audit → maintenance → datasets, national → ita_portal

``core`` is the shared library below everything; ``approvals`` (the one approval log of plans, reports and
memos) sits right above it, so that measures and memos both write it; ``audit`` follows the domain apps' models by
label and reads ``organizations``; ``maintenance`` (backup and restore) imports no app; ``datasets`` (the seed
loader, ``refresh_scores``) and ``national`` (the country-wide generator) load data across the apps; ``ita_portal``
(settings, URLs, the project's views) is on top. A page of a lower app reaches a higher one through a template tag,
a URL, a builder or handler the higher app registers in its ``AppConfig.ready``
(``reports.contents.register_memo_builder``, ``measures.services.reopen_handler_register``), or ``apps.get_model``.

Every import statement of an app's modules counts, at any depth (also inside functions and ``TYPE_CHECKING``);
migrations and tests are not checked. Relative imports stay inside their app."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER: list[set[str]] = [
    {"core"},
    {"approvals"},
    {"organizations"},
    {"assessments"},
    {"measures"},
    {"notifications"},
    {"reports"},
    {"memos"},
    {"oit"},
    {"dashboards"},
    {"public"},
    {"audit"},
    {"maintenance"},
    {"datasets", "national"},
    {"ita_portal"},
]
LEVEL = {app: level for level, apps in enumerate(ORDER) for app in apps}


def _modules(root: Path, app: str):
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path


def _imported_apps(path: Path):
    """(line, top-level package) of every absolute import in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def upward_imports(root: Path = ROOT) -> list[str]:
    """One line per import of an app above the importing one: ``path:line: app (level) imports other (level)``."""
    found = []
    for app, level in LEVEL.items():
        for path in _modules(root, app):
            for line, imported in _imported_apps(path):
                if LEVEL.get(imported, -1) > level:
                    found.append(f"{path.relative_to(root)}:{line}: {app} (level {level}) imports {imported} "
                                 f"(level {LEVEL[imported]}), which is above it")
    return found


def test_every_app_imports_only_apps_at_or_below_it():
    upward = upward_imports()
    assert not upward, "imports against the app order (tests/test_import_order.py):\n" + "\n".join(upward)


def test_the_contract_fails_on_an_upward_import_and_not_on_a_downward_or_relative_one(tmp_path):
    (tmp_path / "reports" / "migrations").mkdir(parents=True)
    (tmp_path / "reports" / "charts.py").write_text(
        "from core.thai import to_thai_digits\nfrom .models import RenderJob\n\n\ndef f():\n    import memos.models\n")
    (tmp_path / "reports" / "migrations" / "0001_initial.py").write_text("from memos.models import Memo\n")
    (tmp_path / "memos").mkdir()
    (tmp_path / "memos" / "views.py").write_text("from reports.contents import build_document\n")
    assert upward_imports(tmp_path) == [
        "reports/charts.py:6: reports (level 6) imports memos (level 7), which is above it"]


def test_every_app_of_the_project_has_a_place_in_the_order():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"ita_portal"}
    assert apps == set(LEVEL)


def test_every_app_of_the_project_is_packaged():
    """pyproject.toml's package list names every app, so an installed (non-editable) portal has them all."""
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {pattern.removesuffix("*") for pattern in include} == set(LEVEL)
