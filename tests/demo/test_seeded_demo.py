"""The small demo as seeded once for this module: accounts, second factors, demo_totp and the
story the calls, proposals and team invitations tell. Seeding takes half a minute, so these
tests, which read the seeded demo (or change it inside their own transaction), share one
seed, rolled back when the module ends."""

import io
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo.accounts import recovery_code_seed
from demo.grants import SIZES
from grants.completeness import completeness_errors
from grants.models import Application, Call, Fund, InformationRequest, TeamMember, Topic
from grants.states import ApplicationState, CallStage, CallState
from tests.demo.test_seed_demo import (
    DEMO_SECRET,
    MFA_EMAILS,
    NAMED_EMAILS,
    assert_references_and_sequences,
    assert_submitted_applications_are_complete,
    assert_timelines_lead_to_the_current_state,
    calls_by_state,
    seed,
)


@pytest.fixture(scope="module", autouse=True)
def seeded_demo(django_db_setup, django_db_blocker):
    """The small demo, seeded once; each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_accounts_have_their_roles_verified_addresses_and_the_demo_password(settings):
    named = {user.email: user for user in User.objects.filter(email__in=NAMED_EMAILS)}
    assert set(named) == NAMED_EMAILS
    roles = {
        email: sorted(user.groups.values_list("name", flat=True)) for email, user in named.items()
    }
    assert roles == {
        "applicant@demo.example": ["applicant"],
        **{f"juror{n}@demo.example": ["juror"] for n in range(1, 10)},
        "staff@demo.example": ["staff"],
        "finance@demo.example": ["staff"],
        "ministry@demo.example": ["ministry"],
        "admin@demo.example": [],
    }
    assert [(u.email, u.is_superuser, u.is_staff) for u in User.objects.filter(is_staff=True)] == [
        ("admin@demo.example", True, True)
    ]
    assert all(
        user.full_name and user.check_password(settings.DEMO_PASSWORD) for user in named.values()
    )
    # 14 named accounts and the 12 generated applicants of the small size.
    assert User.objects.count() == 26
    assert User.objects.filter(email__regex=r"^applicant\d{3}@demo\.example$").count() == 12
    assert Group.objects.get(name="applicant").user_set.count() == 13
    addresses = EmailAddress.objects.filter(verified=True, primary=True)
    assert sorted(addresses.values_list("email", flat=True)) == sorted(
        User.objects.values_list("email", flat=True)
    )
    assert EmailAddress.objects.count() == 26


@pytest.mark.django_db
def test_mfa_accounts_get_the_demo_totp_secret_and_deterministic_recovery_codes(settings):
    totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).select_related("user")
    assert {device.user.email for device in totp} == MFA_EMAILS
    assert {decrypt(device.data["secret"]) for device in totp} == {settings.DEMO_TOTP_SECRET}
    assert settings.DEMO_TOTP_SECRET == DEMO_SECRET
    codes = Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES)
    assert {device.user.email for device in codes} == MFA_EMAILS
    staff_codes = codes.get(user__email="staff@demo.example")
    assert decrypt(staff_codes.data["seed"]) == recovery_code_seed("staff@demo.example")
    assert staff_codes.data["used_mask"] == 0
    assert recovery_code_seed("staff@demo.example") not in str(staff_codes.data)  # encrypted
    unused = RecoveryCodes(staff_codes).get_unused_codes()
    assert len(unused) == 10
    assert len(set(unused)) == 10
    assert not Authenticator.objects.filter(user__email="applicant@demo.example").exists()


@pytest.mark.django_db
def test_seeding_again_restores_a_changed_demo_account(settings):
    staff = User.objects.get(email="staff@demo.example")
    staff.set_password("something-else-entirely")
    staff.save()
    staff.groups.clear()
    codes = RecoveryCodes(Authenticator.objects.get(user=staff, type="recovery_codes"))
    assert codes.validate_code(codes.generate_codes()[0]) is True
    assert codes.instance.data["used_mask"] == 1

    seed()

    staff.refresh_from_db()
    assert staff.check_password(settings.DEMO_PASSWORD)
    assert list(staff.groups.values_list("name", flat=True)) == ["staff"]
    assert Authenticator.objects.get(user=staff, type="recovery_codes").data["used_mask"] == 0


@pytest.mark.django_db
def test_demo_totp_prints_a_code_that_allauth_accepts():
    out = io.StringIO()

    call_command("demo_totp", "staff@demo.example", verbosity=0, stdout=out)

    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert validate_totp_code(DEMO_SECRET, code) is True
    device = Authenticator.objects.get(user__email="staff@demo.example", type="totp")
    assert TOTP(device).validate_code(code) is True


@pytest.mark.django_db
def test_demo_totp_says_how_long_the_code_is_valid_and_lists_recovery_codes():
    out = io.StringIO()

    call_command("demo_totp", "juror3@demo.example", "--recovery-codes", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    match = re.fullmatch(
        r"TOTP code for juror3@demo\.example: (\d{6}) \(valid for (\d+) more seconds\)", lines[0]
    )
    assert match is not None
    assert 1 <= int(match.group(2)) <= 30
    device = Authenticator.objects.get(user__email="juror3@demo.example", type="recovery_codes")
    assert lines[1] == "Unused recovery codes: " + " ".join(RecoveryCodes(device).generate_codes())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("applicant@demo.example", "has no TOTP authenticator"),
        ("nobody@demo.example", "There is no user nobody@demo.example"),
    ],
)
def test_demo_totp_refuses_users_without_a_demo_authenticator(email, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo_totp", email, stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_totp_refuses_an_authenticator_with_another_secret():
    Authenticator.objects.filter(user__email="staff@demo.example", type="totp").update(
        data={"secret": encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")}
    )

    with pytest.raises(CommandError, match="secret of their own"):
        call_command("demo_totp", "staff@demo.example", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_three_calls_tell_a_story_that_fits_now():
    now = timezone.now()

    calls = calls_by_state()
    assert sorted(calls) == [
        CallState.ARCHIVED,
        CallState.DECIDED,
        CallState.IN_REVIEW,
        CallState.OPEN,
    ]
    older, past, current, open_call = (
        calls[CallState.ARCHIVED],
        calls[CallState.DECIDED],
        calls[CallState.IN_REVIEW],
        calls[CallState.OPEN],
    )
    # The older call's projects have all ended (even ten-month ones with final reports).
    assert now - older.closes_at >= timezone.timedelta(days=600)
    assert older.closes_at < past.opens_at
    assert past.closes_at < current.opens_at
    assert now - current.closes_at >= timezone.timedelta(days=14)
    assert now - current.closes_at <= timezone.timedelta(days=45)
    assert open_call.opens_at < now < open_call.closes_at
    assert open_call.accepts_submissions() is True
    assert current.accepts_submissions() is False
    assert Fund.objects.get().name == "Civic Tech Fund"
    assert Fund.objects.get().reference_prefix == "CTF"
    assert list(Topic.objects.values_list("slug", "name_de", "name_en")) == [
        ("civic-tech", "Civic Tech", "Civic Tech"),
        ("data-security", "Datensicherheit", "Data Security"),
        ("open-data", "Offene Daten", "Open Data"),
    ]
    for call in calls.values():
        assert call.slug == f"{call.year}-{call.round_number}"
        # The decided calls had a larger budget, for about 25 funded projects.
        budget = 2000000 if call.state in (CallState.DECIDED, CallState.ARCHIVED) else 1500000
        assert (call.budget, call.hourly_rate, call.overhead_percent) == (budget, 50, 5)
        assert (call.funding_rate_percent, call.reviews_per_application) == (95, 3)
        assert [(t.key, t.months, t.cap) for t in call.active_tracks()] == [
            ("individual_6", 6, 47500),
            ("individual_10", 10, 79167),
            ("team_6", 6, 95000),
            ("team_10", 10, 158000),
        ]
        # Every application of the call chose one of its own tracks.
        assert not call.applications.exclude(track=None).exclude(track__call=call).exists()
        assert call.created_at < call.opens_at
        # Its page names a contact and answers three questions in both languages.
        assert (call.contact_name, call.contact_email, call.contact_phone) == (
            "Jana Weber",
            "programm@demo.example",
            "+49 30 1234567",
        )
        assert [(entry.position, entry.question_en) for entry in call.faq_entries.all()] == [
            (1, "Can we apply as an association or a non-profit company?"),
            (2, "Does the code have to be public from the start?"),
            (3, "May I submit more than one application in a round?"),
        ]
        assert all(entry.question_de and entry.answer_de for entry in call.faq_entries.all())


@pytest.mark.django_db
def test_a_concept_call_leads_to_an_open_full_call_with_invited_and_not_invited_teams():
    concept_call = Call.objects.get(stage=CallStage.CONCEPT)
    full_call = concept_call.next_stage
    assert (concept_call.state, full_call.state, full_call.stage) == (
        CallState.DECIDED,
        CallState.OPEN,
        CallStage.FULL,
    )
    assert concept_call.budget is None
    assert full_call.accepts_submissions() is True
    concepts = {a.owner.email: a for a in concept_call.applications.select_related("owner")}
    assert Counter(a.state for a in concepts.values()) == Counter(
        {ApplicationState.INVITED: 2, ApplicationState.NOT_INVITED: 2}
    )
    # The demo applicant is invited and may start the full proposal in the browser.
    mine = concepts["applicant@demo.example"]
    assert mine.state == ApplicationState.INVITED
    assert "Kommunen" in mine.decision_feedback  # in her language, German
    assert not Application.objects.filter(concept=mine).exists()
    (full,) = full_call.applications.all()
    assert (full.state, full.concept.state) == (ApplicationState.SUBMITTED, "invited")
    assert {a.decision_feedback != "" for a in concepts.values()} == {True}


@pytest.mark.django_db
def test_small_size_spreads_applications_over_the_states():
    calls = calls_by_state()

    for call_state, expected in (
        (CallState.ARCHIVED, SIZES["small"].older),
        (CallState.DECIDED, SIZES["small"].past),
        (CallState.IN_REVIEW, SIZES["small"].current),
        (CallState.OPEN, SIZES["small"].open),
    ):
        states = Counter(calls[call_state].applications.values_list("state", flat=True))
        if call_state in (CallState.DECIDED, CallState.ARCHIVED):
            # The approved ones go on in the contract demo (funded, completed, declined …).
            contracted = ("approved", "funded", "final_report_due", "completed", "terminated")
            declined = (
                calls[call_state]
                .applications.filter(state="withdrawn", grant__declined_at__isnull=False)
                .count()
            )
            states["approved"] = sum(states.pop(state, 0) for state in contracted) + declined
            states["withdrawn"] -= declined
            states = +states
        assert states == Counter({str(state): count for state, count in expected.items()})
    assert InformationRequest.objects.filter(answered_at__isnull=True).count() == 2
    assert InformationRequest.objects.filter(answered_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_the_demo_applicant_has_a_draft_a_question_to_answer_and_decisions():
    calls = calls_by_state()
    owned = Application.objects.filter(owner__email="applicant@demo.example")

    assert sorted(owned.values_list("call__state", "state")) == [
        (CallState.DECIDED, ApplicationState.FUNDED),
        (CallState.DECIDED, ApplicationState.INVITED),  # a concept: the two-stage call
        (CallState.DECIDED, ApplicationState.REJECTED),
        (CallState.IN_REVIEW, ApplicationState.IN_REVIEW),
        (CallState.IN_REVIEW, ApplicationState.SUBMITTED),
        (CallState.OPEN, ApplicationState.DRAFT),
    ]
    draft = owned.get(state=ApplicationState.DRAFT)
    assert draft.call == calls[CallState.OPEN]
    assert completeness_errors(draft) == {"similar_approaches": ["This field is required."]}
    question = InformationRequest.objects.get(
        application__owner__email="applicant@demo.example", answered_at__isnull=True
    )
    assert question.application.state == ApplicationState.SUBMITTED
    assert question.due_on > timezone.localdate()
    assert question.editable_sections == ["technical_approach"]


@pytest.mark.django_db
def test_small_size_references_completeness_and_timelines():
    assert_references_and_sequences()
    assert_submitted_applications_are_complete()
    assert_timelines_lead_to_the_current_state()


@pytest.mark.django_db
def test_team_members_were_invited_when_the_application_was_submitted():
    members = TeamMember.objects.select_related("application")
    assert members.exists()
    for member in members:
        if member.application.state == ApplicationState.DRAFT:
            assert member.invited_at is None
        else:
            assert member.invited_at == member.application.submitted_at
