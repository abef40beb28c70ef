"""Where a page quotes someone: testimonials, reviews and pull quotes.

The people named there are customers, reviewers or famous authors, not the company's staff,
however much their attribution ("Anna Roth, Head of Sales, Northwind") reads like a team card.
HTML marks a quote and its attribution (<blockquote>, <q>, <cite>, a <figure>'s caption
beside its <blockquote>), and themes name their testimonial and review blocks so (Divi's
`et_pb_testimonial`, Elementor's `elementor-testimonial`, Bootstrap's `blockquote-footer`).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

_QUOTATION_SELECTOR = ", ".join(
    (
        "blockquote",
        "q",
        "cite",
        "figure > blockquote ~ figcaption",
        '[class*="testimonial" i]',
        # "preview" holds "review": a team preview on the home page is staff.
        '[class*="review" i]:not([class*="preview" i])',
        '[class*="quote" i]',
    )
)


def quotation_elements(tree: LexborHTMLParser) -> frozenset[int]:
    """The ids (`mem_id`) of the elements that hold a quotation or its attribution."""
    return frozenset(node.mem_id for node in tree.css(_QUOTATION_SELECTOR))
