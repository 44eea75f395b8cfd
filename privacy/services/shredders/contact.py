"""Contact details: e-mail addresses of team members (who have no account), of jurors'
invitations, and of the person's account (those it had before too), with the log entries
and queued e-mail jobs that carry them."""

from allauth.account.models import EmailAddress
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.queries import previous_email_addresses
from accounts.services import ANONYMOUS_DOMAIN
from grants.models import TeamMember
from privacy.kinds import DataKind
from privacy.services.shredders.base import clear, redact_mentions
from review.models import JuryMember


def stand_in_address(user_id) -> str:
    """The address an anonymised account gets (accounts.services.anonymise_user)."""
    return f"anonymised-{user_id}@{ANONYMOUS_DOMAIN}"


class ContactShredder:
    kind = DataKind.CONTACT

    def shred(self, scope, *, actor=None) -> int:
        members = TeamMember.objects.filter(
            Q(application__in=scope.applications) | Q(pk__in=scope.team)
        ).exclude(email="")
        addresses = set(members.values_list("email", flat=True))
        changed = clear(members, email="")
        for user in User.objects.filter(pk__in=scope.people).exclude(
            email__endswith=f"@{ANONYMOUS_DOMAIN}"
        ):
            mine = {
                user.email,
                *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
                # Addresses replaced before: only the log and notices sent there know them.
                *previous_email_addresses(user, days=None),
            }
            addresses |= mine
            for member in JuryMember.objects.filter(user=user).exclude(
                email=stand_in_address(user.pk)
            ):
                member.email = stand_in_address(user.pk)
                member.save(update_fields=["email"])
                changed += 1
        if addresses:
            changed += redact_mentions(addresses)
            changed += DBTaskResult.objects.filter(
                args_kwargs__kwargs__recipient__email__in=sorted(addresses)
            ).delete()[0]
        return changed
