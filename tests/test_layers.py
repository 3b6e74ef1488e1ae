"""The house is one-way: each layer imports only those below it, no module imports itself back through others,
and commands that need no model start without spaCy, trafilatura or Scrapy."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. A layer may import any layer before it in this list, never one after it.
LAYERS = ["extract", "store", "ingest", "crawler", "desk", "scheduling", "lab", "pantau", "scheduler"]
HEAVY = ("spacy", "trafilatura", "scrapy", "thinc")


def _modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        path = ROOT / layer
        files = [ROOT / f"{layer}.py"] if not path.is_dir() else sorted(path.rglob("*.py"))
        for f in files:
            if f.exists() and "migrations" not in f.parts:
                found[".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")] = f
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Project modules imported anywhere in the file (top level or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] in LAYERS)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] not in LAYERS:
                continue
            subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES]
            out.update(subs)
            if len(subs) < len(node.names):
                out.add(node.module)
    return out


GRAPH = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def test_no_module_imports_a_layer_above_its_own():
    upward = [f"{m} -> {dep}" for m, deps in GRAPH.items() for dep in deps
              if LAYERS.index(dep.split(".")[0]) > LAYERS.index(m.split(".")[0])]
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


def test_no_import_cycles_between_modules():
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                cycles.append(sorted(part))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("module", ["pantau.cli", "store.queries", "store.export", "store.retag", "crawler.sources",
                                    "scheduling.daemon", "ingest.fetch", "crawler.discovery", "desk.app",
                                    "desk.digest"])
def test_model_free_modules_load_no_model_library(module):
    probe = (f"import sys, {module}; heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})); "
             "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"importing {module} loads {out.stdout.strip()}"


def test_the_command_line_loads_no_database_layer_until_a_command_runs():
    """`pantau --help` starts fast: the tables (SQLModel, pydantic), migrations and HTTP client load inside the
    commands that use them (bench/bench_startup.py measures the time)."""
    light = ("sqlmodel", "pydantic", "alembic", "urllib3", "psycopg")
    probe = (f"import sys, pantau.cli; loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({light!r})); "
             "print(','.join(loaded))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"importing pantau.cli loads {out.stdout.strip()}"
