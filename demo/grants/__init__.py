"""Demo data of the grants app: the fund, its topics, three calls and their applications,
told through the same services people use (demo/grants/story.py) on a shared timeline
(demo/timeline.py). Deterministic: texts come from word lists through seeded random
generators, and every moment is a fixed offset from the anchor (demo/grants/plans.py)."""

from demo.grants.plans import SIZES, SeedSize, demo_anchor
from demo.grants.story import CallStory, check_story, plan_grants

__all__ = ["SIZES", "CallStory", "SeedSize", "check_story", "demo_anchor", "plan_grants"]
