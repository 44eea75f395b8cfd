"""The audit log in the admin site: admins read it, nobody changes it there."""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from grants.states import CallState
from tests.accounts.helpers import make_role_user, sign_in
from tests.factories import CallFactory, make_user
from workflow.transitions import fire_transition

pytestmark = pytest.mark.django_db


def test_admins_read_the_log_but_cannot_add_change_or_delete(client):
    with transaction.atomic():
        entry = fire_transition(
            subject=CallFactory(state=CallState.OPEN),
            transition_name="close",
            actor=make_user(Role.STAFF),
        )
    sign_in(client, make_role_user("admin"))

    listing = client.get(reverse("admin:workflow_transitionlog_changelist"))
    detail = client.get(reverse("admin:workflow_transitionlog_change", args=[entry.pk]))
    add = client.get(reverse("admin:workflow_transitionlog_add"))
    delete = client.post(reverse("admin:workflow_transitionlog_delete", args=[entry.pk]))
    change = client.post(
        reverse("admin:workflow_transitionlog_change", args=[entry.pk]), {"note": "rewritten"}
    )

    assert listing.status_code == 200
    assert "grants.call.closed" in listing.content.decode()
    assert detail.status_code == 200
    assert (add.status_code, delete.status_code, change.status_code) == (403, 403, 403)
    entry.refresh_from_db()
    assert entry.note == ""
