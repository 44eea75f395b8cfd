"""Technical data: sign-in sessions, the calendar feed's secret address, the admin site's
record of changes to the account, finished e-mail jobs; and, for the daily job, what has
expired anyway (sessions that ended, e-mail jobs older than the retention period)."""

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from grants.models import CalendarFeed
from privacy.kinds import DataKind
from privacy.retention import setting
from privacy.services.shredders.base import MARK

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


class TechnicalShredder:
    kind = DataKind.TECHNICAL

    def shred(self, scope, *, actor=None) -> int:
        if not scope.people:
            return 0
        people = {str(pk) for pk in scope.people}
        changed = 0
        for session in Session.objects.filter(expire_date__gt=timezone.now()):
            if session.get_decoded().get("_auth_user_id") in people:
                session.delete()
                changed += 1
        changed += CalendarFeed.objects.filter(user__in=scope.people).delete()[0]
        about = Q(content_type=ContentType.objects.get_for_model(User), object_id__in=people)
        for user in User.objects.filter(pk__in=scope.people):
            full_name = {user.full_name} if " " in user.full_name.strip() else set()
            for needle in {user.email, *full_name}:
                about |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
        changed += (
            LogEntry.objects.filter(about)
            .exclude(object_repr=MARK, change_message="")
            .update(object_repr=MARK, change_message="")
        )
        changed += DBTaskResult.objects.filter(
            status__in=FINISHED,
            args_kwargs__kwargs__recipient__user_id__in=sorted(scope.people),
        ).delete()[0]
        return changed

    def expire(self, *, now: dt.datetime) -> tuple[int, int]:
        """What the daily job removes whoever it belonged to: (sessions, e-mail jobs)."""
        return expired_sessions(now).delete()[0], old_tasks(now).delete()[0]


def expired_sessions(now: dt.datetime):
    return Session.objects.filter(expire_date__lt=now)


def old_tasks(now: dt.datetime):
    """E-mail jobs finished ``task_days`` days or more before ``now``'s day (in Berlin)."""
    last_day = timezone.localdate(now) - dt.timedelta(days=setting("task_days"))
    end_of_last_day = timezone.make_aware(
        dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min)
    )
    return DBTaskResult.objects.filter(status__in=FINISHED, finished_at__lt=end_of_last_day)
