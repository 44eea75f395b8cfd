"""factory_boy factories for every model the tests need, and helpers for roles and MFA."""

import datetime as dt
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from grants.models import (
    Answer,
    Application,
    Call,
    CallTrack,
    Fund,
    PlannedMilestone,
    Question,
    TeamMember,
    Topic,
)
from grants.questions import DEFAULT_QUESTIONS
from grants.services.questions import add_default_questions
from grants.services.tracks import add_default_tracks
from grants.states import CallState, Licence

SECTION_KEYS = tuple(question["key"] for question in DEFAULT_QUESTIONS)
PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the database, and with it the role
            # groups that the data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))
        self.save()

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def make_user(*roles, mfa=None, **kwargs):
    """A user with verified e-mail in the given roles; MFA roles get a TOTP device unless mfa=False."""
    user = UserFactory(roles=list(roles), **kwargs)
    needs_mfa = (
        any(role in (Role.JUROR, Role.STAFF, Role.MINISTRY) for role in roles) or user.is_superuser
    )
    if mfa or (mfa is None and needs_mfa):
        TOTP.activate(user, TOTP_SECRET)
    if hasattr(user, "role_names"):
        del user.role_names
    return user


def current_totp_code(secret=TOTP_SECRET, offset=0):
    counter = int(timezone.now().timestamp()) // 30 + offset
    return format_hotp_value(hotp_value(secret, counter))


def mark_session_mfa(client, user):
    """Log ``user`` in on a test client as if they had passed allauth's MFA step."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator

    client.force_login(user)
    # The gate counts a session only while the authenticator it used still exists.
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": timezone.now().timestamp(), "email": user.email},
        {
            "method": "mfa",
            "at": timezone.now().timestamp(),
            "type": "totp",
            "id": totp.pk if totp else None,
        },
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("reference_prefix",)

    name = "Civic Tech Fund"
    reference_prefix = "CTF"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("fund", "slug")

    fund = factory.SubFactory(FundFactory)
    slug = "open-data"
    name_de = "Offene Daten"
    name_en = "Open Data"


class CallFactory(factory.django.DjangoModelFactory):
    """An open call that accepts submissions now, unless told otherwise."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    slug = factory.Sequence(lambda n: f"round-{n}")
    year = 2026
    # Distinct within a test; rounds in a year are 1 to 99 (Call's validators).
    round_number = factory.Sequence(lambda n: n % 99 + 1)
    title_de = factory.Sequence(lambda n: f"Förderrunde {n}")
    title_en = factory.Sequence(lambda n: f"Funding round {n}")
    description_de = "Prototypen für das Gemeinwohl."
    description_en = "Prototypes for the common good."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    budget = Decimal("1500000.00")
    state = CallState.OPEN

    @factory.post_generation
    def default_tracks(self, create, extracted, **kwargs):
        """A new call offers the usual tracks (grants.tracks, as grants.services.calls makes
        it); ``default_tracks=False`` for a call without any."""
        if create and extracted is not False:
            add_default_tracks(self)

    @factory.post_generation
    def default_questions(self, create, extracted, **kwargs):
        """A new call asks the default questions (as grants.services.calls makes it);
        ``default_questions=False`` for a call without any."""
        if create and extracted is not False:
            add_default_questions(self)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete application (ready to submit) in a draft state unless ``state`` is given."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    reference = factory.Sequence(lambda n: f"CTF-2026-1-{n + 1:04d}")
    owner = factory.LazyFunction(lambda: make_user(Role.APPLICANT))
    # The key of one of the call's tracks (or a CallTrack, or None), see _create.
    track = "individual_6"
    topic = factory.LazyAttribute(lambda o: TopicFactory(fund=o.call.fund))
    title = factory.Sequence(lambda n: f"Open transit data toolkit {n}")
    summary = "A toolkit that turns timetable data into accessible open data."
    licence = Licence.MIT
    repository_url = "https://codeberg.org/example/toolkit"
    total_hours = 900
    requested_amount = Decimal("44887.50")

    # The answers to the call's default questions (grants.questions.DEFAULT_QUESTIONS),
    # taken out of the model's fields in _create.
    societal_challenge = "Public transport data is hard to reuse."
    technical_approach = "Python, GTFS and a static site generator."
    prior_work = "A first script exists."
    similar_approaches = "Commercial tools are closed."
    target_group = "Municipal data teams and civic hackers."
    team_experience = "Ten years of open data work."

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        for key in SECTION_KEYS:
            kwargs.pop(key)
        kwargs["track"] = track_of(kwargs["call"], kwargs.get("track"))
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        texts = {key: kwargs.pop(key) for key in SECTION_KEYS}
        kwargs["track"] = track_of(kwargs["call"], kwargs.get("track"))
        application = super()._create(model_class, *args, **kwargs)
        application._answer_texts = texts
        return application

    @factory.post_generation
    def answers(self, create, extracted, **kwargs):
        """Answer the call's questions that have the default questions' keys, with the
        texts above (``answers=False``: none)."""
        if not create or extracted is False:
            return
        texts = {key: text for key, text in self._answer_texts.items() if text}
        questions = Question.objects.filter(call=self.call_id, key__in=list(texts))
        Answer.objects.bulk_create(
            Answer(application=self, question=q, text=texts[q.key]) for q in questions
        )

    @factory.post_generation
    def milestones(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for position, hours in enumerate(extracted or (300, 300, 300), start=1):
            PlannedMilestone.objects.create(
                application=self,
                position=position,
                title=f"Milestone {position}",
                deliverable=f"Release {position}",
                month=position * 2,
                hours=hours,
            )

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for index, email in enumerate(extracted or []):
            TeamMember.objects.create(application=self, email=email, name=f"Member {index}")


def track_of(call, track):
    """The call's track of the key ``track``, e.g. track_of(call, "team_10") (a CallTrack
    or None as given)."""
    if not track or isinstance(track, CallTrack):
        return track or None
    return CallTrack.objects.get(call=call, key=track, removed_at__isnull=True)


def answer_text(application, key: str) -> str:
    """The text an application gave to its call's question ``key`` ("" if none)."""
    answer = Answer.objects.filter(application=application, question__key=key).first()
    return answer.text if answer is not None else ""


def set_state(obj, state):
    """Put an object into a workflow state directly (test set-up only)."""
    type(obj).objects.filter(pk=obj.pk).update(state=state)
    obj.refresh_from_db()
    return obj


# Funded projects ---------------------------------------------------------------------------

IBAN = "DE89370400440532013000"  # the standard example IBAN (Commerzbank Köln)


def make_grant(
    application=None,
    *,
    state="funded",
    amounts=("15000.00", "15000.00", "14887.50"),
    starts_on=None,
    offered=True,
    bank=True,
    **application_kwargs,
):
    """A grant with milestones for an application in ``state`` (approved, funded, …):
    offered to the grantee, and accepted with bank details unless ``state`` is approved."""
    from grants.models import Grant, Milestone
    from grants.money import add_months

    if application is None:
        application = ApplicationFactory(**application_kwargs)
    total = sum(Decimal(amount) for amount in amounts)
    Application.objects.filter(pk=application.pk).update(
        state=state, awarded_amount=total, submitted_at=timezone.now()
    )
    application.refresh_from_db()
    starts_on = starts_on or timezone.localdate().replace(day=1)
    months = application.track.months
    signed = state != "approved"
    grant = Grant(
        application=application,
        funding_reference=f"01CTF26{application.pk:03d}",
        amount=total,
        months=months,
        starts_on=starts_on,
        ends_on=add_months(starts_on, months) - dt.timedelta(days=1),
        prepared_by=application.owner,
        offered_at=timezone.now() if offered else None,
        accepted_at=timezone.now() if signed else None,
        accepted_by=application.owner if signed else None,
    )
    if bank and signed:
        from grants.contracts.bank import validate_bank_details

        grant.store_bank_details(
            validate_bank_details(
                holder=application.owner.full_name or "Grantee", iban=IBAN, bic=""
            )
        )
    grant.save()
    for position, amount in enumerate(amounts, start=1):
        Milestone.objects.create(
            grant=grant,
            position=position,
            title=f"Milestone {position}",
            deliverable=f"Release {position}",
            due_on=min(add_months(starts_on, position * 2) - dt.timedelta(days=1), grant.ends_on),
            amount=Decimal(amount),
        )
    return grant
