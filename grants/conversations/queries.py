"""Read side of conversations: the thread of an application, who takes part, what is new
to whom, and the recipients of an announcement. Each a fixed number of queries."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Lower

from grants.models import (
    Announcement,
    Application,
    Attachment,
    ConversationRead,
    Message,
    TeamMember,
)
from grants.queries import applications_visible_to
from grants.states import (
    AnnouncementAudience,
    ApplicationState,
    ApplicationStateGroup,
    MessageKind,
)
from grants.visibility import APPLICATIONS

TEAM, STAFF = "team", "staff"

# Applicants of a call: everyone whose application is submitted and not withdrawn.
NOT_APPLYING = (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)
# Grantees: their agreement is signed and the grant is running.
GRANTEE_STATES = ApplicationStateGroup.RUNNING


def conversation_side(user, application) -> str | None:
    """Whose side ``user`` writes on in the application's thread: its team (the owner, or a
    team member with a verified address), the programme staff, or None (no access). A
    thread exists once the application is submitted."""
    if application is None or application.state == ApplicationState.DRAFT:
        return None
    if APPLICATIONS.sees(user, application, only="owner") or APPLICATIONS.sees(
        user, application, only="team"
    ):
        return TEAM
    if APPLICATIONS.sees(user, application, only="staff"):
        return STAFF
    return None


def team_applications(user):
    """The applications on whose team ``user`` is: their own and those they are named on."""
    return applications_visible_to(user, only="owner") | applications_visible_to(user, only="team")


def _verified_team_addresses(application_ids):
    return (
        TeamMember.objects.filter(application__in=application_ids)
        .annotate(address=Lower("email"))
        .values("address")
    )


def team_users(application):
    """The people of an application's team: its owner and everyone named on it who signed in
    with that verified address (grants/visibility.py, the team audience)."""
    verified = EmailAddress.objects.annotate(address=Lower("email")).filter(
        verified=True, address__in=_verified_team_addresses([application.pk])
    )
    return (
        get_user_model()
        .objects.filter(Q(pk=application.owner_id) | Q(pk__in=verified.values("user_id")))
        .order_by("pk")
    )


def thread(application):
    """The messages of an application's thread, oldest first, with their authors, files and
    the question each question or answer shows."""
    return (
        Message.objects.filter(application=application)
        .select_related("author", "information_request")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(removed_at__isnull=True).order_by("pk"),
            )
        )
        .order_by("created_at", "pk")
    )


def read_at(application, user):
    """When ``user`` last read the thread, or None."""
    return (
        ConversationRead.objects.filter(application=application, user=user)
        .values_list("read_at", flat=True)
        .first()
    )


def unread_messages(user, *, from_staff: bool):
    """Messages new to ``user``: written by the other side (``from_staff``) after the user's
    read marker of that thread. Questions and answers count elsewhere (the questions to
    answer, the answers received), so only free messages count here."""
    marker = ConversationRead.objects.filter(application=OuterRef("application"), user=user)
    return (
        Message.objects.filter(kind=MessageKind.MESSAGE, from_staff=from_staff)
        .exclude(author=user)
        .filter(Q(created_at__gt=Subquery(marker.values("read_at")[:1])) | ~Exists(marker))
    )


def _threads_with_unread(applications, user, *, from_staff: bool):
    unread = unread_messages(user, from_staff=from_staff).filter(application=OuterRef("pk"))
    per_thread = unread.order_by().values("application")
    return (
        applications.filter(Exists(unread))
        .annotate(
            unread_count=Subquery(
                per_thread.annotate(total=Count("pk")).values("total"),
                output_field=IntegerField(),
            ),
            unread_since=Subquery(per_thread.annotate(latest=Max("created_at")).values("latest")),
        )
        .select_related("call")
        .order_by("-unread_since", "pk")
    )


def threads_unread_by_staff(*, viewer):
    """The threads of applications ``viewer`` sees as staff with messages from the team that
    are new to them, the latest first."""
    return _threads_with_unread(
        applications_visible_to(viewer, only="staff"), viewer, from_staff=False
    )


def threads_unread_by_team(user):
    """The threads of the user's applications with messages from the staff new to them."""
    return _threads_with_unread(team_applications(user), user, from_staff=True)


def unread_counts(applications, user) -> dict:
    """Per application (of ``applications``, a queryset) how many messages are new to
    ``user``, from either side: one query."""
    marker = ConversationRead.objects.filter(application=OuterRef("application"), user=user)
    rows = (
        Message.objects.filter(application__in=applications)
        .exclude(author=user)
        .filter(Q(created_at__gt=Subquery(marker.values("read_at")[:1])) | ~Exists(marker))
        .values("application")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return {row["application"]: row["total"] for row in rows}


# Announcements.


def announcement_applications(audience: str, call=None):
    """The applications an announcement is about: submitted and not withdrawn in one call,
    or with a running grant in one call or in all."""
    if audience == AnnouncementAudience.CALL_APPLICANTS:
        return Application.objects.filter(call=call).exclude(state__in=NOT_APPLYING)
    if audience == AnnouncementAudience.CALL_GRANTEES:
        return Application.objects.filter(call=call, state__in=GRANTEE_STATES)
    if audience == AnnouncementAudience.ALL_GRANTEES:
        return Application.objects.filter(state__in=GRANTEE_STATES)
    return Application.objects.none()


def announcement_recipients(audience: str, call=None):
    """Everyone an announcement goes to, each person once: the owners of those applications
    and their team members with a verified address, active accounts only."""
    applications = announcement_applications(audience, call)
    verified = EmailAddress.objects.annotate(address=Lower("email")).filter(
        verified=True, address__in=_verified_team_addresses(applications.values("pk"))
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=applications.values("owner_id")) | Q(pk__in=verified.values("user_id")))
        .order_by("pk")
    )


def recipient_languages(recipients) -> dict:
    """How many recipients read each language: one query."""
    rows = recipients.order_by().values("language").annotate(total=Count("pk"))
    return {row["language"]: row["total"] for row in rows}


def announcements_sent():
    return Announcement.objects.select_related("call", "sent_by").order_by("-sent_at", "-pk")


def announcements_received(user, limit=5):
    return (
        Announcement.objects.filter(recipients__user=user)
        .select_related("call")
        .order_by("-sent_at", "-pk")[:limit]
    )
