"""The structure the code keeps: imports run one way, concerns hang on the tree by events, pure
rule modules load no framework, and what ships is the product (issue 18)."""
import ast
import pathlib
import subprocess
import sys

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "portal"

PURE_RULES = ("portal.voting.tally", "portal.ballots.rules", "portal.register.rules",
              "portal.register.idnumbers", "portal.releases.rules", "portal.workflow.engine",
              "portal.workflow.definition")
FRAMEWORKS = ("pyramid", "ZODB", "hypatia", "BTrees", "persistent", "deform", "colander", "webob")


def modules():
    """{module name: path} of every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("portal",) + path.relative_to(PACKAGE).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(name, path, known):
    """The package's modules ``name`` imports, at module level or inside functions."""
    def resolve(target):
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target

    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(resolve(alias.name) for alias in node.names if alias.name.startswith("portal"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    parent = parent.rpartition(".")[0]
                base = f"{parent}.{base}" if base else parent
            if base.startswith("portal"):
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    out.add(full if full in known else resolve(base))
    out.discard(name)
    out.discard("")
    return out


def graph():
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges):
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_cycle():
    assert cycles(graph()) == []


def imported_packages(edges, package):
    """The other portal sub-packages that modules of ``package`` import."""
    return {target.split(".")[1] for source, targets in edges.items()
            if source == package or source.startswith(package + ".")
            for target in targets if target.count(".") >= 1 and not target.startswith(package)}


def test_the_tree_knows_nothing_of_the_concerns_that_hang_on_it():
    edges = graph()
    assert "content" in {t.split(".")[1] for t in edges["portal.register.setup"]}   # the finder sees imports
    concerns = {"register", "ballots", "documents", "voting", "paper", "binding", "releases", "search",
                "workflow"}
    assert imported_packages(edges, "portal.content") & concerns == set()


def test_the_workflow_knows_no_workflowed_type_and_voting_knows_no_paper():
    edges = graph()
    assert imported_packages(edges, "portal.workflow") & {"ballots", "documents", "voting", "paper"} == set()
    assert "paper" not in imported_packages(edges, "portal.voting")


def test_pure_rule_modules_and_the_package_load_no_framework():
    code = ("import sys, importlib\n"
            f"for name in {('portal',) + PURE_RULES!r}: importlib.import_module(name)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({FRAMEWORKS!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_what_ships_is_the_product():
    names = modules()
    assert not [n for n in names if "bench" in n or n.endswith(("loopback", "postgres"))]
    doubles = [n for n in names if n.rpartition(".")[2] in ("face", "sms") and "standins" in n]
    assert sorted(doubles) == ["portal.standins.face", "portal.standins.sms"]
    assert not [n for n in names if "double" in n]
