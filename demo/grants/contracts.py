"""The funded projects of the decided past call, told through the grant services on the
shared timeline (demo/timeline.py): staff prepare and send agreements, grantees sign (one
declines), report on milestones (on time, late, after changes were requested), staff
accept and pay, grantees ask for changes, write final reports; one grant is terminated.

Each approved application gets a *stage* that decides how far its story goes by today.
The story is a chain: every step schedules the next one at a later moment, once the
earlier steps have fixed what it depends on (the due dates of the signed agreement).
Deterministic: every choice comes from a seeded generator, every moment from the
decision date; nothing happens on or after today's midnight (Berlin)."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from schwifty import IBAN

from demo.accounts import DEMO_DOMAIN
from demo.grants import contract_texts as texts
from demo.grants.plans import DAY, DECIDED_KINDS, HOUR, MINUTE
from grants.contracts.queries import latest_terms
from grants.contracts.services import (
    agreements,
    bank_details,
    batches,
    changes,
    closing,
    documents,
    proof,
)
from grants.contracts.services import milestones as reporting
from grants.models import Application, Milestone, Payment, StatementLine
from grants.states import (
    ApplicationState,
    BankCheckState,
    LinkKind,
    MilestoneState,
    PaymentKind,
)

S = ApplicationState
# How far each project's story goes, by the length of its funding period: six-month
# grants have ended (completed, final report due or overdue), ten-month ones are running.
SIX_MONTH_STAGES = (
    "completed", "final_submitted", "completed", "late", "final_overdue", "terminated",
    "completed", "declined", "final_submitted", "on_time", "completed",
)  # fmt: skip
TEN_MONTH_STAGES = (
    "on_time", "waiting", "change_request", "changes", "released", "late", "on_time",
    "waiting", "late", "released", "changes", "on_time",
)  # fmt: skip
# The older call's projects have all ended: most completed, some after late reports.
OLDER_STAGES = ("completed", "completed_late", "completed", "completed", "completed_late")
EXPECTED_STATE = {
    "declined": S.WITHDRAWN,
    "completed_late": S.COMPLETED,
    "not_prepared": S.APPROVED,
    "completed": S.COMPLETED,
    "final_submitted": S.FINAL_REPORT_DUE,
    "final_overdue": S.FINAL_REPORT_DUE,
    "terminated": S.TERMINATED,
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ContractStory:
    """The approved applications of the past call, from agreement to today."""

    def __init__(self, *, call_story, users, today: dt.date):
        self.call_story = call_story
        self.older = call_story.plan.kind == "older"
        self.staff = users[f"staff@{DEMO_DOMAIN}"]
        # Four eyes: Jonas accepts reports (releases) and confirms accounts, Mara pays.
        self.finance = users[f"finance@{DEMO_DOMAIN}"]
        self.demo = users[f"applicant@{DEMO_DOMAIN}"]
        self.today = today
        self.cutoff = _at(today, 0) - MINUTE
        self.rng = random.Random("civic-tech-fund demo grants" + (" older" if self.older else ""))
        self.runs: list[GrantRun] = []
        self.account_change_told = False  # one grantee changes their account lately

    def schedule(self, timeline) -> None:
        plan = self.call_story.plan
        timeline.at(plan.decided_at + 2 * HOUR, self.cast, timeline)

    def cast(self, timeline) -> None:
        call = self.call_story.call
        approved = list(
            Application.objects.filter(call=call, state=S.APPROVED)
            .select_related("owner", "topic")
            .order_by("reference")
        )
        own = [a for a in approved if a.owner_id == self.demo.pk]
        others = [a for a in approved if a.owner_id != self.demo.pk]
        stages = {"six": iter(SIX_MONTH_STAGES * 3), "ten": iter(TEN_MONTH_STAGES * 3)}
        if self.older:
            stages = {"six": iter(OLDER_STAGES * 6), "ten": iter(OLDER_STAGES * 6)}
        cast = [(application, "demo") for application in own]
        for index, application in enumerate(others):
            if index == len(others) - 1 and len(others) > 2 and not self.older:
                cast.append((application, "not_prepared"))
            else:
                kind = "ten" if application.track.months == 10 else "six"
                cast.append((application, next(stages[kind])))
        plans = {app.application.pk: app for app in self.call_story.apps if app.application}
        for index, (application, stage) in enumerate(cast):
            run = GrantRun(self, timeline, application, stage, index)
            self.runs.append(run)
            if application.pk in plans:
                plans[application.pk].state = run.expected_state()
            if stage != "not_prepared":
                prepared = _at(timezone.localdate() + (1 + index % 5) * DAY, 9) + index * 7 * MINUTE
                run.at(prepared, run.prepare)


class GrantRun:
    """One grant's story as a chain of service calls."""

    def __init__(self, story: ContractStory, timeline, application, stage: str, index: int):
        self.story, self.timeline, self.stage = story, timeline, stage
        self.application = application
        self.owner = application.owner
        self.staff = story.staff
        self.finance = story.finance
        self.lang = 0 if self.owner.language == "de" else 1
        self.rng = random.Random(f"civic-tech-fund demo grant {application.reference}")
        self.index = index
        self.grant = None
        self.stopped = False

    def expected_state(self) -> str:
        if self.stage in EXPECTED_STATE:
            return EXPECTED_STATE[self.stage]
        # Six-month grants that are not completed have ended: their final report is due.
        return S.FINAL_REPORT_DUE if self.application.track.months == 6 else S.FUNDED

    def at(self, moment: dt.datetime, step, *args) -> None:
        """Schedule the next step, never before now and never on or after today."""
        moment = max(moment, timezone.now() + MINUTE)
        if moment >= self.story.cutoff or self.stopped:
            return
        self.timeline.at(moment, step, *args)

    def now_day(self) -> dt.date:
        return timezone.localdate()

    # The agreement.

    def prepare(self):
        self.grant = agreements.prepare_agreement(application=self.application, actor=self.staff)
        if self.stage == "demo":
            self._place_demo_due_dates()
        self.at(timezone.now() + 2 * HOUR, self.offer)

    def _place_demo_due_dates(self):
        """The demo applicant's next report is due in five days (a reminder to come)."""
        milestones = list(self.grant.milestones.all())
        due_soon = self.story.today + 5 * DAY
        dates = [m.due_on for m in milestones]
        dates[-2] = min(due_soon, self.grant.ends_on)
        for index in range(len(dates) - 2):
            dates[index] = min(
                dates[index], self.story.today - (40 * (len(dates) - 2 - index)) * DAY
            )
        self.grant = agreements.update_agreement(
            grant=self.grant,
            actor=self.staff,
            expected_version=self.grant.version,
            starts_on=self.grant.starts_on,
            milestones=[
                {
                    "title": m.title,
                    "deliverable": m.deliverable,
                    "due_on": due_on,
                    "amount": m.amount,
                }
                for m, due_on in zip(milestones, dates, strict=True)
            ],
        )

    def offer(self):
        if latest_terms(self.application.call.fund) is None:
            documents.save_agreement_terms(
                fund=self.application.call.fund,
                actor=self.staff,
                text_de=texts.AGREEMENT_TERMS_DE,
                text_en=texts.AGREEMENT_TERMS_EN,
            )
        self.grant = agreements.offer_agreement(
            grant=self.grant, actor=self.staff, expected_version=self.grant.version
        )
        if self.stage == "declined":
            self.at(timezone.now() + 3 * DAY + 5 * HOUR, self.decline)
        else:
            self.at(timezone.now() + self.rng.randint(2, 9) * DAY + 3 * HOUR, self.sign)

    def decline(self):
        agreements.decline_award(
            application=self.application,
            actor=self.owner,
            note=texts.DECLINE_NOTES[0][self.lang],
        )

    def sign(self):
        number = 100_000 + self.index * 7919
        iban = IBAN.generate("DE", bank_code="43060967", account_code=f"{number:010d}")
        document = documents.make_agreement_document(
            grant=self.grant,
            actor=self.owner,
            expected_version=self.grant.version,
            account_holder=self.owner.full_name,
            iban=str(iban),
            bic="",
            publication_consent=self.rng.random() < 0.7,
            language=self.owner.language or "de",
        )
        self.grant = agreements.accept_agreement(
            application=self.application,
            actor=self.owner,
            document=document,
            sha256=document.sha256,
        )
        # Finance calls the grantee back on the number in the application the next morning.
        self.at(_at(timezone.localdate() + DAY, 10, 30), self.confirm_account)
        if self.stage == "released" and not self.story.older and not self.story.account_change_told:
            self.story.account_change_told = True
            self.at(_at(self.story.today - 2 * DAY, 18), self.change_account)
        months = self.grant.months
        if months == 6:
            # The daily command moves an ended grant to "final report due".
            self.at(_at(self.grant.ends_on + DAY, 6), closing.request_due_final_reports)
        self.next_milestone(0)

    # Milestones.

    def milestones(self) -> list[Milestone]:
        return list(self.grant.milestones.order_by("position"))

    def next_milestone(self, index: int):
        milestones = self.milestones()
        if index >= len(milestones):
            self.after_milestones()
            return
        milestone = milestones[index]
        last_past = max(
            (i for i, m in enumerate(milestones) if m.due_on < self.story.today), default=-1
        )
        is_last = index == last_past
        if index > last_past:
            # Not due yet; some teams hand in early (the report waits for staff).
            if self.stage == "waiting" and index == last_past + 1 and last_past >= 0:
                self.at(_at(self.story.today - 2 * DAY, 16), self.report, milestone, index, "wait")
            elif self.stage == "change_request":
                self.at(_at(self.story.today - 3 * DAY, 11), self.ask_change, milestone)
            return
        if self.stage == "terminated" and index == 1:
            late = _at(milestone.due_on + 12 * DAY, 15)
            self.at(late, self.report, milestone, index, "changes")
            self.at(late + 40 * DAY, self.terminate)
            return
        if is_last and self.stage == "late":
            return  # overdue: no report yet
        late = self.stage in ("late", "completed_late") and index % 2 == 1
        day = (
            milestone.due_on + (self.rng.randint(3, 12) if late else -self.rng.randint(0, 4)) * DAY
        )
        mode = {"changes": "changes", "waiting": "wait", "released": "release"}.get(
            self.stage if is_last else "", "full"
        )
        if mode == "full" and self.rng.random() < 0.2:
            mode = "changes_then_accept"
        self.at(_at(day, 14, self.rng.randint(0, 59)), self.report, milestone, index, mode)

    def report(self, milestone, index, mode):
        reporting.submit_milestone_report(
            milestone=milestone,
            actor=self.owner,
            draft_token="",
            fields=self.report_fields(index),
            links=self.links(index),
            collaborations=self.collaborations(index),
        )
        if mode == "wait":
            return
        review = timezone.now() + self.rng.randint(2, 7) * DAY - 2 * HOUR
        if mode in ("changes", "changes_then_accept"):
            self.at(review, self.request_changes, milestone, index, mode)
        else:
            self.at(review, self.accept, milestone, index, mode)

    def request_changes(self, milestone, index, mode):
        reporting.review_milestone_report(
            milestone=milestone,
            actor=self.staff,
            accept=False,
            comment=self.rng.choice(texts.CHANGES_REQUESTED),
            expected_state=MilestoneState.REPORT_SUBMITTED,
        )
        if mode == "changes_then_accept":
            self.at(
                timezone.now() + self.rng.randint(2, 6) * DAY, self.report, milestone, index, "full"
            )

    def accept(self, milestone, index, mode):
        reporting.review_milestone_report(
            milestone=milestone,
            actor=self.staff,
            accept=True,
            comment="",
            expected_state=MilestoneState.REPORT_SUBMITTED,
        )
        if mode != "release":
            self.at(
                _at(timezone.localdate() + self.rng.randint(3, 9) * DAY, 10), self.pay, milestone
            )
        self.next_milestone(index + 1)

    def confirm_account(self, note=None):
        check = self.grant.bank_checks.get(state=BankCheckState.PENDING)
        bank_details.confirm_bank_details(
            check=check,
            actor=self.staff,
            note=note or texts.ACCOUNT_CONFIRMED,
            expected_state=BankCheckState.PENDING,
        )

    def pay(self, milestone):
        """Mara puts the released payment into a transfer file and, once the bank has
        executed it, records the payment (four eyes: Jonas released it)."""
        payment = Payment.objects.get(milestone=milestone, kind=PaymentKind.RELEASED)
        batch = batches.export_sepa_batch(
            actor=self.finance, payment_ids=[payment.pk], execution_date=timezone.localdate()
        )
        batches.mark_sepa_batch_paid(
            batch=batch,
            actor=self.finance,
            paid_on=timezone.localdate(),
            bank_reference=f"SEPA-{timezone.localdate():%Y%m%d}-{milestone.pk:05d}",
            expected_state=batch.state,
        )

    def change_account(self):
        """A grantee names a new account shortly before today: its payments wait for
        finance to call back (the finance page shows the hold)."""
        number = 200_000 + self.index * 7919
        bank_details.change_bank_details(
            grant=self.grant,
            actor=self.owner,
            account_holder=self.owner.full_name,
            iban=str(IBAN.generate("DE", bank_code="43060967", account_code=f"{number:010d}")),
            bic="",
        )

    def ask_change(self, milestone):
        reason = self.rng.choice(texts.CHANGE_REASONS)[self.lang]
        new_date = milestone.due_on + 21 * DAY
        if new_date <= self.grant.ends_on:
            changes.request_change(
                grant=self.grant,
                actor=self.owner,
                kind="milestone_date",
                milestone=milestone,
                new_date=new_date,
                reason=reason,
            )
        else:
            changes.request_change(
                grant=self.grant,
                actor=self.owner,
                kind="end_date",
                new_date=self.grant.ends_on + 30 * DAY,
                reason=reason,
            )

    def terminate(self):
        closing.terminate_grant(
            grant=self.grant,
            actor=self.staff,
            reason=texts.TERMINATION_REASON,
            expected_state=Application.objects.get(pk=self.application.pk).state,
        )
        self.stopped = True

    # The end.

    def after_milestones(self):
        if self.stage not in ("completed", "completed_late", "final_submitted"):
            return
        written = _at(
            max(self.grant.ends_on, timezone.localdate()) + self.rng.randint(4, 15) * DAY, 11
        )
        self.at(written, self.write_final_report)

    def write_final_report(self):
        lang, rng = self.lang, self.rng
        funder = rng.choice(texts.FOLLOW_UP_FUNDERS)
        closing.save_final_report(
            grant=self.grant,
            actor=self.owner,
            fields={
                "summary": rng.choice(texts.FINAL_SUMMARY)[lang],
                "contribution": rng.choice(texts.FINAL_CONTRIBUTION)[lang],
                "next_steps": rng.choice(texts.NEXT_STEPS)[lang],
                "follow_up_funding": Decimal(rng.choice((25000, 60000, 120000)))
                if funder
                else None,
                "follow_up_funder": funder,
            },
            milestone_results=[
                {"milestone": m.pk, "achieved": True, "explanation": ""} for m in self.milestones()
            ],
            public_links=[self.repository()],
            statement=self.statement(),
            submit=True,
        )
        if self.stage in ("completed", "completed_late"):
            self.at(timezone.now() + self.rng.randint(3, 8) * DAY, self.accept_final_report)

    def statement(self) -> dict:
        """The proof of use: the planned hours give or take a little, one or two receipts
        (a difference over the tolerance explained), a small own contribution."""
        rng, lang = self.rng, self.lang
        plan = self.application.budget()
        rate = self.application.call.hourly_rate
        hours = int(plan["hours"] * rng.uniform(0.9, 1.08))
        people = [self.owner.full_name] + [
            member.name for member in self.application.team_members.all() if member.name
        ]
        shares = [1 / len(people)] * len(people)
        persons = [
            {
                "name": name,
                "role": texts.ROLES[index % len(texts.ROLES)][lang],
                "hours": Decimal(int(hours * share)),
                "amount": Decimal(int(hours * share)) * rate,
            }
            for index, (name, share) in enumerate(zip(people, shares, strict=True))
        ]
        receipts = [
            {
                "paid_on": min(self.grant.starts_on + (30 + 40 * number) * DAY, self.grant.ends_on),
                "payee": payee,
                "purpose": purpose[lang],
                "amount": Decimal(amount),
            }
            for number, (payee, purpose, amount) in enumerate(texts.RECEIPTS[: rng.randint(1, 2)])
        ]
        return {
            "persons": persons,
            "receipts": receipts,
            "own_contribution": (plan["own_share"] + sum(r["amount"] for r in receipts)).quantize(
                Decimal("0.01")
            ),
            "reasons": {"other": texts.OTHER_COSTS_REASON[lang]},
        }

    def accept_final_report(self):
        for line in StatementLine.objects.filter(proof__final_report__grant=self.grant):
            proof.check_statement_line(
                line=line, actor=self.staff, accept=True, comment="", expected_state=line.state
            )
        closing.review_final_report(
            grant=self.grant, actor=self.staff, accept=True, comment="", expected_state="submitted"
        )

    # Report content: plausible, growing with the project.

    def repository(self) -> str:
        return self.application.repository_url or (
            f"https://codeberg.org/demo/{self.application.reference.lower()}"
        )

    def report_fields(self, index) -> dict:
        rng, lang = self.rng, self.lang
        security = (
            self.application.topic is not None and self.application.topic.slug == "data-security"
        )
        team = self.application.track.is_team
        return {
            "delivered": " ".join(
                sentence[lang].format(n=f"0.{index + 1}")
                for sentence in rng.sample(texts.DELIVERED, 2)
            ),
            "problems": rng.choice(texts.PROBLEMS)[lang],
            "releases": rng.randint(1, 3),
            "security_audits": 1 if security and index >= 1 and rng.random() < 0.6 else 0,
            "vulnerabilities_fixed": rng.randint(1, 6) if security else rng.randint(0, 1),
            "users_reached": rng.randint(20, 400) * (index + 1),
            "organisations_reached": rng.randint(0, 4) + index,
            "contributors": rng.randint(1, 3) + (3 if team else 1),
        }

    def links(self, index) -> list[dict]:
        links = [
            {
                "kind": LinkKind.REPOSITORY,
                "url": self.repository(),
                "licence": self.application.licence or "MIT",
            },
            {
                "kind": LinkKind.RELEASE,
                "url": f"{self.repository()}/releases/tag/v0.{index + 1}.0",
                "licence": "",
            },
        ]
        if self.application.topic is not None and self.application.topic.slug == "open-data":
            links.append(
                {
                    "kind": LinkKind.DATASET,
                    "url": f"https://www.govdata.de/daten/-/details/{self.application.reference.lower()}-{index + 1}",
                    "licence": self.rng.choice(("CC-BY-4.0", "DL-DE-BY-2.0", "CC0-1.0")),
                }
            )
        return links

    def collaborations(self, index) -> list[dict]:
        if index == 0 or self.rng.random() < 0.5:
            return []
        body, level = self.rng.choice(texts.PUBLIC_BODIES)
        return [
            {
                "body": body,
                "level": level,
                "kind": self.rng.choice(("partner", "adopts", "reuses")),
                "description": self.rng.choice(texts.COLLABORATION_NOTES)[self.lang],
            }
        ]


def plan_contracts(timeline, *, stories, users) -> list[ContractStory]:
    """The contract stories of the decided calls (older and past) that are new in this run."""
    contracts = []
    for call_story in stories:
        if call_story.plan.kind in DECIDED_KINDS:
            story = ContractStory(call_story=call_story, users=users, today=timezone.localdate())
            story.schedule(timeline)
            contracts.append(story)
    return contracts
