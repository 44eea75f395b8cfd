"""Demo data of the grants app: the fund, its topics, three calls and their applications,
told through the same services people use (grants/demo/story.py) on a shared timeline
(workflow/demo.py). Deterministic: texts come from word lists through seeded random
generators, and every moment is a fixed offset from the anchor (grants/demo/plans.py)."""

from grants.demo.plans import SIZES, SeedSize, demo_anchor
from grants.demo.story import CallStory, check_story, plan_grants

__all__ = ["SIZES", "CallStory", "SeedSize", "check_story", "demo_anchor", "plan_grants"]
