"""Permissions of the workflow core: who may reword the e-mails."""

import rules

from accounts.rules import is_programme_staff

rules.add_perm("workflow.edit_email_texts", is_programme_staff)
