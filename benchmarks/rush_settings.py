"""Settings of the deadline-rush benchmark: the production settings, plus one URL for the
baseline (benchmarks/rush_urls.py). Used only by benchmarks/deadline_rush.py."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.rush_urls"
