"""Permissions of the reporting app. Deny by default.

Ministry viewers and programme staff (admins hold the staff role) read the dashboard, make
and download reports and see the funded projects' pages; only ministry viewers subscribe to
the quarterly report. What the reports contain is limited where the data is read
(reporting.data): funded projects only, names only with the grantee's consent."""

import rules

from accounts.rules import is_ministry, is_programme_staff
from grants.states import ApplicationStateGroup

reads_reports = is_ministry | is_programme_staff


@rules.predicate
def is_published_grant(user, grant):
    """A grant whose agreement has been signed (the ministry's audience in grants.visibility)."""
    return grant is not None and grant.application.state in ApplicationStateGroup.FUNDED_ONWARDS


rules.add_perm("reporting.view_dashboard", reads_reports)
rules.add_perm("reporting.request_report", reads_reports)
rules.add_perm("reporting.view_archived_report", reads_reports)
rules.add_perm("reporting.view_project", reads_reports & is_published_grant)
rules.add_perm("reporting.subscribe", is_ministry)
