"""The import contract: layers import only downward, and packages that share a layer do not
import each other (DESIGN: core ← accounts ← ingestion / coach ← deals ← briefs / queue /
analytics ← flows ← api / web / workers / cli)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dealscout"

LAYERS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"ingestion", "coach"},
    {"deals"},
    {"briefs", "queue", "analytics"},
    {"flows"},
    {"api", "web", "workers", "cli"},
]
UNLAYERED = {"migrations"}  # Alembic's env imports every model module, by design
# Entry points that assemble or launch other entry points: ``dealscout serve`` starts the
# API and the embedded worker; the one FastAPI app mounts the web pages.
LAUNCHES = {("cli", "api"), ("cli", "workers"), ("api", "web")}


def layer_of(package: str) -> int | None:
    return next((i for i, members in enumerate(LAYERS) if package in members), None)


def imported_packages(source: str, name: str) -> set[str]:
    """The top-level dealscout packages one module imports (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == name:
                modules = [f"{name}.{alias.name}" for alias in node.names]
        for module in modules:
            parts = module.split(".")
            if parts[0] == name and len(parts) > 1:
                found.add(parts[1])
    return found


def violations(root: Path, name: str = "dealscout") -> list[str]:
    """Every import from a package to one in a higher layer or a sibling of its own layer."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if len(rel.parts) < 2 or rel.parts[0] in UNLAYERED:
            continue
        own = rel.parts[0]
        own_layer = layer_of(own)
        if own_layer is None:
            problems.append(f"{rel}: package {own!r} is in no layer")
            continue
        for target in sorted(imported_packages(path.read_text(encoding="utf-8"), name)):
            target_layer = layer_of(target)
            if target == own or target_layer is None or (own, target) in LAUNCHES:
                continue
            if target_layer > own_layer:
                problems.append(f"{rel}: imports {target} from a higher layer")
            elif target_layer == own_layer:
                problems.append(f"{rel}: imports {target}, a package of its own layer")
    return problems


def test_the_package_keeps_its_layers() -> None:
    assert violations(PACKAGE) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("ingestion/pipeline.py", "from dealscout.queue.store import add_signals\n", "higher"),
        ("queue/store.py", "from dealscout.briefs import cache\n", "its own layer"),
        ("coach/rules.py", "def f():\n    import dealscout.deals.service\n", "higher"),
        ("core/db.py", "from dealscout import accounts\n", "higher"),
    ],
)
def test_an_upward_or_sideways_import_is_reported(
    tmp_path: Path, module: str, source: str, expected: str
) -> None:
    target = tmp_path / "dealscout" / module
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    (tmp_path / "dealscout" / "core").mkdir(exist_ok=True)
    (tmp_path / "dealscout" / "core" / "ok.py").write_text("import dealscout.core.db\n")
    found = violations(tmp_path / "dealscout")
    assert len(found) == 1 and expected in found[0], found
