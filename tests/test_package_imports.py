"""The package has no import cycle, hidden in a function or not, and any module imports first."""

from __future__ import annotations

import ast
import subprocess
import sys

from .conftest import ROOT, nonempty

PACKAGE = ROOT / "lib" / "shizhong"
#: Every module of the package, subpackages included: ``fmt``, ``sphinxext.editions``, and
#: ``__init__`` / ``sphinxext.__init__`` for the packages themselves.
MODULES = nonempty(
    sorted(
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
        if p.stem != "__main__"
    ),
    "modules of shizhong",
)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except those under ``if TYPE_CHECKING:`` (never run)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _module(dotted: str) -> str | None:
    """The module of the package that ``shizhong.<dotted>`` names: itself, its package's
    ``__init__``, or the module that defines the name (``sphinxext.setup`` → its __init__)."""
    parts = dotted.split(".") if dotted else []
    while True:
        name = ".".join(parts)
        if name in MODULES:
            return name
        if f"{name}.__init__".lstrip(".") in MODULES:
            return f"{name}.__init__".lstrip(".")
        if not parts:
            return None
        parts.pop()


def imported(module: str) -> set[str]:
    """Modules of the package that ``module`` imports anywhere (top level or in a function),
    relative imports resolved against the module's own package."""
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    package = module.split(".")[:-1]  # a module's package; for __init__, the package itself
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in _runtime_nodes(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["shizhong", *package[: len(package) - node.level + 1]]
                base += (node.module or "").split(".") if node.module else []
            else:
                base = (node.module or "").split(".")
            targets = [".".join([*base, a.name]) for a in node.names]
        for name in targets:
            parts = name.split(".")
            if parts[0] == "shizhong" and (found := _module(".".join(parts[1:]))):
                out.add(found)
    out.discard(module)
    return out


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_the_modules():
    graph = {m: imported(m) for m in MODULES}
    # the lazy submodules of __init__ (``sz.chart``) are imported on attribute access only
    assert graph["validate"] >= {"rawtable", "semantics", "tables", "textrules"}
    assert "validate" not in graph["semantics"] | graph["tables"]
    assert graph["sphinxext.__init__"] >= {"sphinxext.editions", "sphinxext.metadata"}
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def _python(script: str) -> str:
    """What ``script`` prints in a fresh interpreter (stripped); it must exit cleanly."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_every_module_imports_first_in_a_fresh_interpreter():
    """Each module is imported first, with no other module of the package loaded before it."""
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {MODULES!r}:\n"
        "    for key in [k for k in sys.modules if k == 'shizhong' or k.startswith('shizhong.')]:\n"
        "        del sys.modules[key]\n"
        "    try:\n"
        "        module = ('shizhong.' + name).removesuffix('__init__').rstrip('.')\n"
        "        importlib.import_module(module)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
    )
    failed = _python(script)
    assert failed == "", failed


def test_the_book_build_imports_no_pandas_or_altair():
    """The Sphinx extension and the chart renderer of the build read stored outputs: they
    import neither pandas, Altair nor Frictionless (each build would pay about a second)."""
    script = (
        "import sys\n"
        "import shizhong.sphinxext, shizhong.sphinxext.mime, shizhong.sphinxext.verbatim\n"
        "print(sorted(m for m in ('pandas', 'altair', 'frictionless') if m in sys.modules))\n"
    )
    imported = _python(script)
    assert imported == "[]", imported


def test_the_written_vega_lite_version_is_altairs():
    import altair as alt

    from shizhong import render

    assert ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]) == render.VL_VERSION
    assert f"application/vnd.vegalite.v{alt.SCHEMA_VERSION[1]}+json" == render.VEGALITE_MIME


def test_validation_formats_nothing():
    """Validating the data checks relations but writes no figure: ``shizhong.semantics`` and
    ``shizhong.validate`` import none of the formatting modules (``shizhong.dataset`` fills
    the relations' descriptions in)."""
    script = (
        "import sys\n"
        "import shizhong.semantics, shizhong.validate\n"
        "print(sorted(m for m in ('shizhong.fmt', 'shizhong.chinese', 'shizhong.write')"
        " if m in sys.modules))\n"
    )
    imported = _python(script)
    assert imported == "[]", imported
