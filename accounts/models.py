from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import MFA_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the system. The e-mail address is the login; there is no username.

    ``is_staff`` keeps Django's meaning (may open the admin site) and is not the
    programme-staff role, which is the ``staff`` group.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("E-mails to you are written in this language."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request. Admins hold the staff role too."""
        names = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names.add(Role.STAFF)
        return frozenset(names)

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_names

    @property
    def needs_mfa(self) -> bool:
        """Jurors, staff, ministry viewers and admins; anyone who may open the admin site
        (``is_staff``) counts as an admin here."""
        return self.is_superuser or self.is_staff or bool(self.role_names & MFA_ROLES)


class Consent(models.Model):
    """A person's consent, with the exact wording they agreed to (the version and the text as
    shown, in its language), when, and what it is about (a grant, for the publication of the
    grantee's name). Withdrawing it stamps ``withdrawn_at``; the row stays as the proof that
    the consent was given and when it ended (GDPR Art. 7(1))."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=40)
    version = models.CharField(_("version of the wording"), max_length=20)
    text = models.TextField(_("wording agreed to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "content_type", "object_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_in_force",
            )
        ]

    def __str__(self):
        return f"{self.purpose} v{self.version}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None
