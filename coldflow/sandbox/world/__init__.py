"""The sandbox world: seeded companies, their websites, people and addresses, the noise sites
around them, DNS records, the user's sending domain, and the ground truth for scoring."""

from coldflow.sandbox.world.generate import DEFAULT_REFERENCE_DATE, generate_world
from coldflow.sandbox.world.model import World
from coldflow.sandbox.world.truth import truth_document, truth_json

__all__ = ["DEFAULT_REFERENCE_DATE", "World", "generate_world", "truth_document", "truth_json"]
