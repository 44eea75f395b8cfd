"""What the privacy app records: people's requests to erase their data, the erasure journal
(what was erased, as ids and kinds, never the data), and warnings sent before an inactive
account is anonymised."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from privacy.kinds import DataKind
from privacy.retention import Rule
from privacy.states import Cause, RequestState
from workflow.transitions import rule


class ErasureRequest(ConcurrentTransitionMixin, models.Model):
    """A person asks for their data to be erased (GDPR Art. 17). Staff carry it out: what
    can go goes, and the request keeps what had to stay, until when and why (item keys,
    counts and dates, never the data), which the person is told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    state = FSMField(
        _("state"), default=RequestState.OPEN, choices=RequestState.choices, protected=True
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    # [{"item": key, "count": n}] and [{"item": key, "count": n, "until": ISO date or null,
    # "reason": key}] (privacy.plan).
    erased = models.JSONField(_("erased"), default=list, blank=True)
    kept = models.JSONField(_("kept"), default=list, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state=RequestState.OPEN),
                name="erasure_request_one_open",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @transition(
        field=state,
        source=RequestState.OPEN,
        target=RequestState.CARRIED_OUT,
        permission=rule("privacy.carry_out_erasure"),
        custom={
            "action": "privacy.erasurerequest.carried_out",
            "label": _("Erasure carried out"),
            "verb": _("Erase now"),
        },
    )
    def carry_out(self):
        self.handled_at = timezone.now()

    @transition(
        field=state,
        source=RequestState.OPEN,
        target=RequestState.CANCELLED,
        permission=rule("privacy.cancel_erasure_request"),
        custom={
            "action": "privacy.erasurerequest.cancelled",
            "label": _("Erasure request withdrawn"),
            "verb": _("Withdraw the request"),
        },
    )
    def cancel(self):
        self.handled_at = timezone.now()


class Erasure(models.Model):
    """One run of one shredder: the erasure journal in the database. Its twin line in the
    journal file (settings.ERASURE_JOURNAL) outlives a restore of an older backup, which
    is how bin/restore finds what to erase again. Holds ids and kinds only."""

    journal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("data kind"), max_length=12, choices=DataKind.choices)
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices)
    rule = models.CharField(_("retention rule"), max_length=16, choices=Rule.choices, blank=True)
    # {"drafts": [ids], "applications": [ids], "people": [ids], …} (privacy.scope.Scope)
    scope = models.JSONField(_("records"), default=dict)
    count = models.PositiveIntegerField(_("records changed"), default=0)
    request = models.ForeignKey(
        ErasureRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasures",
        verbose_name=_("request"),
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasure journal")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} ({self.count})"


class InactivityWarning(models.Model):
    """An e-mail telling a person that their account will be anonymised for inactivity. A
    sign-in after it (``last_login`` later than ``warned_at``) cancels it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    warned_at = models.DateTimeField(_("warned"))

    class Meta:
        verbose_name = _("inactivity warning")
        verbose_name_plural = _("inactivity warnings")
        ordering = ["-warned_at"]

    def __str__(self):
        return f"{self.user_id} {self.warned_at:%Y-%m-%d}"
