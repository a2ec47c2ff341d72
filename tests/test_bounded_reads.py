"""Bounded YAML: a document costs at most MAX_YAML_NODES nodes, with or without aliases."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold import bounded_reads

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 10)}]\n"
    for level in range(6)
)


def test_alias_bomb_is_refused() -> None:
    with pytest.raises(yaml.YAMLError, match="more than"):
        bounded_reads.load_yaml(ALIAS_BOMB)


def test_document_without_anchors_over_the_node_limit_is_refused() -> None:
    text = "".join(f"- {number}\n" for number in range(50))
    assert bounded_reads.load_yaml(text, max_nodes=51) == list(range(50))
    with pytest.raises(yaml.YAMLError, match="more than 50 nodes"):
        bounded_reads.load_yaml(text, max_nodes=50)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(YAML_VALUES)
def test_counting_a_document_without_anchors_agrees_with_the_general_count(value: object) -> None:
    text = yaml.safe_dump(value)
    node = yaml.compose(text, Loader=bounded_reads.SafeLoader)
    if node is not None:
        assert bounded_reads._count_tree(node, 10**6) == bounded_reads.count_nodes(node, 10**6)
    assert bounded_reads.load_yaml(text) == value
