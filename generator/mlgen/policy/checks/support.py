"""Helpers shared by the ML policies: reading checkov's parsed HCL and its resource graph.

checkov hands a check each attribute wrapped in a one-element list (``{"tags": [{...}]}``) and
leaves unresolved references as strings (``"${var.x}"``). The graph helpers read checkov's own
resource graph (set on every check as ``self.graph`` before it runs) for the questions a single block
cannot answer: which environment root a module resource belongs to, and what is connected to it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from mlgen.policy.checks.tables import DEFAULT_TAG_PROVIDERS, ENVIRONMENT_NAMES

_UNRESOLVED = re.compile(r"\$\{|\b(?:var|local|module|data|each|count|self)\.")


def unwrap(value: Any) -> Any:
    """checkov wraps attribute values in one-element lists; return the value itself."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def get(conf: Any, dotted: str) -> Any:
    """Follow ``a.b.c`` through nested blocks; None where any step is missing."""
    current = unwrap(conf)
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = unwrap(current[part])
    return current


def get_all(conf: Any, dotted: str) -> list[Any]:
    """Every value at ``a.b.c`` where blocks repeat (several ``container`` or ``statement`` blocks)."""
    head, _, rest = dotted.partition(".")
    found: list[Any] = []
    items = conf if isinstance(conf, list) else [conf]
    for item in items:
        item = unwrap(item)
        if not isinstance(item, dict) or head not in item:
            continue
        values = item[head] if isinstance(item[head], list) else [item[head]]
        for value in values:
            if rest:
                found.extend(get_all(value, rest))
            else:
                found.append(unwrap(value))
    return found


def is_resolved(value: Any) -> bool:
    """False for values checkov could not evaluate (references to variables, locals, modules)."""
    return not (isinstance(value, str) and _UNRESOLVED.search(value))


def as_bool(value: Any) -> bool | None:
    value = unwrap(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def as_number(value: Any) -> float | None:
    value = unwrap(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def as_list(value: Any) -> list[Any]:
    value = unwrap(value)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def module_component(source: Any) -> str:
    """The component a module call uses: the last path element of its source (../../modules/aws/kms -> kms)."""
    return str(unwrap(source) or "").rstrip("/").split("//")[-1].rsplit("/", 1)[-1]


def scanned_file(check: Any) -> str:
    """The file checkov is scanning, relative to the scan root with a leading '/'."""
    return str(check.entity_path).split(":", 1)[0]


# --- checkov's resource graph ------------------------------------------------------------------


def graph_vertices(graph: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, attributes) for every vertex of checkov's graph (rustworkx or networkx backend)."""
    if graph is None:
        return
    if hasattr(graph, "node_indices"):  # rustworkx.PyDiGraph
        for index in graph.node_indices():
            data = graph[index]
            attributes = data[1] if isinstance(data, tuple) else data
            if isinstance(attributes, dict):
                yield index, attributes
    elif hasattr(graph, "nodes"):  # networkx
        for index, attributes in graph.nodes(data=True):
            yield index, attributes


def graph_in_neighbours(graph: Any, index: int) -> list[dict[str, Any]]:
    """Attributes of the vertices with an edge into ``index`` (blocks that reference it)."""
    return [attributes for attributes, _ in _in_neighbours_with_index(graph, index)]


def graph_referrers(
    graph: Any, index: int, through: tuple[str, ...] = ("locals",), depth: int = 3
) -> list[dict]:
    """Blocks that reference vertex ``index``, directly or through up to ``depth`` locals.

    Modules often pick one of two resource variants in a local (``local.bucket = one(concat(a, b))``)
    and reference the local, so a direct edge is not enough to see who uses a resource.
    """
    found: list[dict[str, Any]] = []
    frontier, seen = [index], {index}
    for _ in range(depth):
        next_frontier = []
        for current in frontier:
            for attributes, neighbour in _in_neighbours_with_index(graph, current):
                if neighbour in seen:
                    continue
                seen.add(neighbour)
                if attributes.get("block_type_") in through:
                    next_frontier.append(neighbour)
                else:
                    found.append(attributes)
        frontier = next_frontier
    return found


def _in_neighbours_with_index(graph: Any, index: int) -> list[tuple[dict[str, Any], int]]:
    if graph is None:
        return []
    rustworkx = hasattr(graph, "predecessor_indices")
    indices = graph.predecessor_indices(index) if rustworkx else list(graph.predecessors(index))
    found = []
    for neighbour in indices:
        data = graph[neighbour] if rustworkx else graph.nodes[neighbour]
        attributes = data[1] if isinstance(data, tuple) else data
        if isinstance(attributes, dict):
            found.append((attributes, neighbour))
    return found


def find_values(conf: Any, wanted: Any) -> list[tuple[str, Any]]:
    """(key, value) for every key anywhere in nested module inputs for which ``wanted(key)`` is true."""
    found: list[tuple[str, Any]] = []
    conf = unwrap(conf)
    if isinstance(conf, dict):
        for key, value in conf.items():
            if str(key).startswith("__"):
                continue
            if wanted(str(key)):
                found.append((str(key), unwrap(value)))
            else:
                found.extend(find_values(value, wanted))
    elif isinstance(conf, list):
        for item in conf:
            found.extend(find_values(item, wanted))
    return found


def root_file_of_vertex(attributes: dict[str, Any]) -> str:
    """The environment-root file a vertex belongs to: the outermost module caller, else its own file."""
    module = attributes.get("source_module_object_")
    path = str(attributes.get("file_path_", ""))
    while module is not None:
        path = str(getattr(module, "path", path))
        module = getattr(module, "nested_tf_module", None)
    return path


def vertices_for_entity(check: Any, conf: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The graph vertices of the block a check is looking at (one per module instance)."""
    address = conf.get("__address__")
    file_suffix = scanned_file(check)
    matches = [
        (index, attributes)
        for index, attributes in graph_vertices(check.graph)
        if attributes.get("__address__") == address
        and str(attributes.get("file_path_", "")).endswith(file_suffix)
        and attributes.get("__start_line__") == conf.get("__start_line__")
    ]
    exact = [match for match in matches if config_of_vertex(match[1]) == _strip_private(conf)]
    return exact or matches


def config_of_vertex(attributes: dict[str, Any]) -> dict[str, Any] | None:
    config = attributes.get("config_")
    if not isinstance(config, dict) or len(config) != 1:
        return None
    inner = next(iter(config.values()))
    if isinstance(inner, dict) and len(inner) == 1:
        inner = next(iter(inner.values()))
    return _strip_private(inner) if isinstance(inner, dict) else None


def _strip_private(conf: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in conf.items() if not key.startswith("__")}


# --- which environment a block belongs to -------------------------------------------------------


def environment_from_path(path: str) -> str | None:
    """The environment named by a directory of ``path`` (environments/prod/main.tf -> prod)."""
    parts = os.path.normpath(os.path.dirname(path)).split(os.sep)
    for part in reversed(parts):
        if part in ENVIRONMENT_NAMES:
            return part
    return None


def environment_of_root(graph: Any, root_file: str) -> str | None:
    """The environment of a root: its provider's default tag/label, else its directory name."""
    root_dir = os.path.dirname(root_file)
    for _, attributes in graph_vertices(graph):
        if attributes.get("block_type_") != "provider":
            continue
        if os.path.dirname(str(attributes.get("file_path_", ""))) != root_dir:
            continue
        name = str(attributes.get("block_name_", ""))
        block, key = DEFAULT_TAG_PROVIDERS.get(name, ("", ""))
        if not key:
            continue
        dotted = f"{block}.{key}.environment" if block else f"{key}.environment"
        value = attributes.get(dotted)
        if isinstance(value, str) and is_resolved(value):
            return value
    return environment_from_path(root_file)


def environments_of(check: Any, conf: dict[str, Any]) -> set[str]:
    """Every environment the block is deployed to; empty when none can be told.

    Order of evidence: the block's own ``environment`` tag/label, then for each module instance the
    environment of the root that instantiates it, then the directory of the scanned file.
    """
    for attribute in ("tags", "labels"):
        value = get(conf, f"{attribute}.environment")
        if isinstance(value, str) and is_resolved(value):
            return {value}
    found: set[str] = set()
    for _, attributes in vertices_for_entity(check, conf):
        environment = environment_of_root(check.graph, root_file_of_vertex(attributes))
        if environment:
            found.add(environment)
    if found:
        return found
    from_path = environment_from_path(scanned_file(check))
    return {from_path} if from_path else set()
