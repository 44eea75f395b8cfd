"""The secret address of a grantee's calendar feed: made, replaced (the old one stops
working at once) or turned off by its owner."""

from django.db import transaction

from grants.contracts.models.calendar import new_calendar_token
from grants.models import CalendarFeed


def renew_calendar_feed(*, user) -> CalendarFeed:
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_calendar_token()
            feed.save(update_fields=["token"])
    return feed


def stop_calendar_feed(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
