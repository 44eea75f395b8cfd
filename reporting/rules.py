"""Permissions of the reporting app. Deny by default.

Ministry viewers and programme staff (admins hold the staff role) read the dashboard, make
and download reports and see the funded projects' pages; only ministry viewers subscribe to
the quarterly report. What the reports contain is limited where the data is read
(reporting.data): funded projects only, names only with the grantee's consent. A project
withheld from a reader (grants.visibility: their conflict of interest as a juror) has no
page for them, and an archived report that names it does not open for them;
``reporting.queries`` holds the list twins (``funded_projects_for``,
``archived_reports_for``)."""

import rules

from accounts.rules import is_ministry, is_programme_staff
from grants.states import ApplicationStateGroup, CallState
from grants.visibility import is_withheld, withheld_applications
from review.queries import open_conflicts_of

reads_reports = is_ministry | is_programme_staff


@rules.predicate
def is_published_grant(user, grant):
    """A grant whose agreement has been signed: a funded project."""
    return grant is not None and grant.application.state in ApplicationStateGroup.FUNDED_ONWARDS


@rules.predicate
def is_withheld_grant(user, grant):
    return grant is not None and is_withheld(user, grant.application)


@rules.predicate
def names_a_withheld_project(user, report):
    """An archived report that names a project withheld from the reader."""
    withheld = withheld_applications(user)
    return (
        report is not None
        and withheld is not None
        and report.named_grants.filter(application__in=withheld).exists()
    )


@rules.predicate
def is_record_of_a_decided_call(user, record):
    return record is not None and record.call.state in (CallState.DECIDED, CallState.ARCHIVED)


@rules.predicate
def has_a_conflict_in_the_call(user, record):
    """Staff who are also jurors with a conflict in the call: the record is for colleagues."""
    return record is not None and open_conflicts_of(user, record.call)


rules.add_perm("reporting.view_dashboard", reads_reports)
rules.add_perm("reporting.request_report", reads_reports)
rules.add_perm("reporting.view_archived_report", reads_reports & ~names_a_withheld_project)
rules.add_perm("reporting.view_project", reads_reports & is_published_grant & ~is_withheld_grant)
rules.add_perm("reporting.subscribe", is_ministry)
rules.add_perm("reporting.set_targets", is_programme_staff)
# The selection record names every ranked application with its scores: programme staff
# only (the ministry sees no unfunded proposal and no review, DESIGN.md).
rules.add_perm(
    "reporting.download_selection_record",
    is_programme_staff & is_record_of_a_decided_call & ~has_a_conflict_in_the_call,
)
# The ministry's version names funded projects only (reporting.selection_record
# MinistryVersion): ministry viewers read it for decided calls, and staff may see what the
# ministry gets. Its list twin: reporting.queries.selection_records_for.
rules.add_perm(
    "reporting.download_ministry_selection_record",
    reads_reports & is_record_of_a_decided_call & ~has_a_conflict_in_the_call,
)
