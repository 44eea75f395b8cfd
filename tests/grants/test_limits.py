"""The text limits every service checks before it writes (grants/services/limits.py)."""

import pytest
from django.utils import timezone

from core.errors import WorkflowError
from grants.models import TeamMember
from grants.services.limits import check_lengths, check_note

TOO_LONG_EMAIL = "a" * 250 + "@x.org"  # 256 characters, the field takes 254
EMAIL_MESSAGE = "Ensure this value has at most 254 characters (it has 256)."


@pytest.mark.parametrize(("key", "filed_under"), [(None, "email"), ("team", "team")])
def test_lengths_are_checked_on_text_fields_with_a_limit_only(key, filed_under):
    # A field that is no text (invited_at) or holds no text (name) is passed over, and the
    # fields after it are still checked.
    member = TeamMember(name=None, invited_at=timezone.now(), email=TOO_LONG_EMAIL)

    with pytest.raises(WorkflowError) as refused:
        check_lengths(member, ["invited_at", "name", "email"], key=key)

    assert str(refused.value) == "Some entries are too long or not valid."
    assert refused.value.field_errors == {filed_under: [EMAIL_MESSAGE]}


def test_lengths_within_the_limits_pass():
    member = TeamMember(name="x" * 200, email="a" * 248 + "@x.org")

    assert check_lengths(member, ["name", "email"]) is None


def test_a_note_longer_than_its_limit_is_refused_with_one_message():
    with pytest.raises(WorkflowError) as refused:
        check_note("x" * 11, limit=10, field="reason")

    message = "Ensure this value has at most 10 characters (it has 11)."
    assert str(refused.value) == message
    assert refused.value.field_errors == {"reason": [message]}
    assert check_note("x" * 10, limit=10) is None
