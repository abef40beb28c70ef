"""Links inside one element, found with a bounded walk: a card or a table row on a hostile
page can hold a whole document."""

from __future__ import annotations

from itertools import islice

from selectolax.lexbor import LexborNode

MAX_WALKED_NODES = 3000


def anchors_in(node: LexborNode, max_nodes: int = MAX_WALKED_NODES) -> list[LexborNode]:
    """<a href> elements in the subtree (the node itself included), in document order."""
    return [
        n for n in islice(node.traverse(), max_nodes) if n.tag == "a" and "href" in n.attributes
    ]
