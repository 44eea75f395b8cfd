"""``manage.py seed_demo [--size small|realistic]``: the demo accounts, fund, calls and
applications. Idempotent and deterministic; refused under the production settings."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.accounts import require_demo_credentials, seed_demo_users
from demo.grants import SIZES, check_story, demo_anchor, plan_grants
from demo.grants.contracts import plan_contracts
from demo.grants.story import seed_fund
from demo.grants.two_stage import check_two_stage, plan_two_stage
from demo.reporting import plan_reports
from demo.review import check_review, plan_review
from demo.timeline import Timeline
from workflow.notifications import muted


class Command(BaseCommand):
    help = (
        "Create the demo accounts (documented in README.md, 'Demo logins'), the Civic Tech "
        "Fund with its topics, a decided past call, a call in review and an open call with "
        "applications. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="realistic",
            help="realistic: 300 applications in the call under review (default); small: a dozen.",
        )

    def handle(self, *args, size, **options):
        require_demo_credentials()
        started = time.monotonic()
        anchor = demo_anchor(timezone.localdate())
        # Each app plans its part of the story on one timeline, which then replays it through
        # the services at the moments it happened. Nobody is e-mailed about that past.
        with transaction.atomic(), muted():
            self.step("Demo accounts")
            users = seed_demo_users(
                anchor=anchor, generated_applicants=SIZES[size].generated_applicants
            )
            self.step("Planning the calls and applications")
            timeline = Timeline()
            stories = plan_grants(timeline, size=size, users=users, anchor=anchor)
            # The jury decides (review); the approved become grants (contracts).
            self.step("Planning the juries, grants and reports")
            juries = plan_review(timeline, stories, users=users, anchor=anchor)
            plan_contracts(timeline, stories=stories, users=users)
            plan_reports(timeline, stories=stories, users=users)
            fund, topics = seed_fund()
            two_stage = plan_two_stage(
                timeline, fund=fund, topics=topics, users=users, anchor=anchor
            )
            self.step(f"Replaying the story ({len(timeline)} events to begin with)")
            timeline.run(progress=self.story_progress)
            self.step("Checking the story")
            check_story(stories)
            check_review(juries)
            check_two_stage(two_stage)
        if stories:
            summary = ", ".join(f"{story.plan.kind} call: {len(story.apps)}" for story in stories)
            self.stdout.write(f"Demo applications written ({summary}).")
        else:
            self.stdout.write("Demo applications exist already; left unchanged.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({size}, {len(users)} demo users) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def step(self, what: str) -> None:
        """One line per step of the seed, at once (not buffered), so that a long seed shows
        that it is working."""
        self.stdout.write(f"  {what} …")
        self.stdout.flush()

    def story_progress(self, moment, done: int) -> None:
        quarter = (moment.month - 1) // 3 + 1
        self.stdout.write(f"    {moment.year} Q{quarter} ({done} events done)")
        self.stdout.flush()
