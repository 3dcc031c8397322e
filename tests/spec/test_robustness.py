"""Whatever a user writes, the loader answers with problems (exit 2), never with a traceback."""

from __future__ import annotations

import copy
import io
import random

from ruamel.yaml import YAML

from mlgen.spec import SpecError, load_blueprint, load_spec_text, render_initial_spec

ODD_VALUES = [None, 0, -1, 1.5, "x", "", True, [], {}, [1, "a"], {"a": 1}, "10.0.0.0/8", 10**15, "ab"]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _mutate(document: dict, rng: random.Random, paths: list) -> None:
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = document
        try:
            for part in path[:-1]:
                parent = parent[part]
            if rng.random() < 0.2 and isinstance(parent, dict):
                parent[f"{path[-1]}x"] = 1  # an unknown key next to a known one
            else:
                parent[path[-1]] = rng.choice(ODD_VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced the parent


def test_random_mutations_of_a_valid_spec_give_positioned_problems_or_a_spec():
    yaml = YAML(typ="safe", pure=True)
    base = yaml.load(render_initial_spec("fraud-detect", "aws", "eu-west-1", "production"))
    base.update({k: v for k, v in load_blueprint("production").items() if k != "environments"})
    paths = [path for path in _paths(base) if path]
    rng = random.Random(20261121)
    rejected = 0
    for _ in range(150):
        document = copy.deepcopy(base)
        _mutate(document, rng, paths)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        try:
            load_spec_text(buffer.getvalue())
        except SpecError as error:
            rejected += 1
            assert error.exit_code == 2
            assert error.problems
            assert all(problem.line >= 1 and problem.column >= 1 for problem in error.problems)
    assert rejected > 100  # the mutations really are bad, so the assertions above ran
