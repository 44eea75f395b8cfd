"""Issue 18, item 14 in a real browser: staff accepting a milestone report before the
funding period starts see the warning, are asked for the reason when they leave it out,
and find it in the ledger. axe-core checks the page at 1280 and 390 px."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from grants.models import Grant, Payment
from tests.e2e.test_grant_journey import axe_both_widths, log_in_staff
from tests.factories import make_grant, make_user
from tests.grants.contracts.helpers import report

pytestmark = pytest.mark.e2e


def test_a_payment_before_the_period_needs_the_reason(page, live_server):
    staff = make_user(Role.STAFF, full_name="Sam Staff")
    grant = make_grant(title="Open timetable toolkit")
    Grant.objects.filter(pk=grant.pk).update(starts_on=timezone.localdate() + dt.timedelta(days=10))
    milestone = grant.milestones.first()
    report(milestone)

    log_in_staff(page, live_server, staff)
    page.goto(live_server.url + f"/staff/milestones/{milestone.pk}/")
    expect(page.get_by_role("note")).to_contain_text("Accepting now releases a payment")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("body")).to_contain_text("a payment before it needs a reason")
    assert not Payment.objects.exists()
    axe_both_widths(page, "early payment refused")

    page.get_by_label("Accept").check()
    page.get_by_label("Reason for paying before the funding period starts").fill(
        "The partner city pays its share only after our first release."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("table").last).to_contain_text("before the funding period")
    expect(page.locator("table").last).to_contain_text("The partner city pays its share")
    assert Payment.objects.get().early_reason.startswith("The partner city")
