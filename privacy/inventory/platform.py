"""The inventory of the accounts, the audit log, and the libraries' tables (Django, allauth,
the task queue, operations)."""

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from accounts.models import Consent, User
from ops.models import WorkerHeartbeat
from privacy.inventory.registry import not_personal, outside, personal
from privacy.kinds import DataKind as K
from privacy.kinds import LegalBasis as B
from privacy.retention import Rule as R
from workflow.models import EmailText, TransitionLog

ACCOUNT = (R.ACCOUNTS,)
MACHINERY = _("Names and settings of the software itself")

personal(
    User,
    "full_name",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("To name you on your applications, grants and reviews, and in e-mails to you"),
    retention=ACCOUNT,
)
personal(
    User,
    "email",
    kind=K.CONTACT,
    basis=B.CONTRACT,
    purpose=_("To sign you in and to write to you about your applications and grants"),
    retention=ACCOUNT,
)
personal(
    User,
    "language",
    kind=K.CONTACT,
    basis=B.CONTRACT,
    purpose=_("To write to you in your language"),
    retention=ACCOUNT,
)
personal(
    User,
    "password",
    "last_login",
    "date_joined",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("To sign you in securely (the password only as a salted hash)"),
    retention=ACCOUNT,
)
personal(
    EmailAddress,
    "email",
    kind=K.CONTACT,
    basis=B.CONTRACT,
    purpose=_("To confirm that an e-mail address is yours"),
    retention=ACCOUNT,
)
personal(
    EmailAddress,
    "user",
    kind=K.IDENTITY,
    basis=B.CONTRACT,
    purpose=_("To know whose address it is"),
    retention=ACCOUNT,
)
personal(
    Authenticator,
    "user",
    "data",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("Second factors: an authenticator app's secret (encrypted), recovery codes, keys"),
    retention=ACCOUNT,
)
not_personal(EmailConfirmation, "key", reason=_("A random confirmation code"))
personal(
    Session,
    "session_data",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("To keep you signed in"),
    retention=(R.SESSIONS,),
)
not_personal(Session, "session_key", reason=_("A random key"))
personal(
    LogEntry,
    "user",
    "object_repr",
    "change_message",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("The admin site's record of changes: who changed which object"),
    retention=(R.AUDIT_LOG,),
)
not_personal(LogEntry, "object_id", reason=_("A number that identifies the changed object"))
not_personal(Group, "name", reason=_("The name of a role"))
not_personal(Permission, "name", "codename", reason=MACHINERY)
not_personal(ContentType, "app_label", "model", reason=MACHINERY)
personal(
    DBTaskResult,
    "args_kwargs",
    kind=K.CONTACT,
    basis=B.CONTRACT,
    purpose=_(
        "E-mails waiting to be sent: the address of somebody without an account (a team "
        "member being invited), otherwise only the number of the account"
    ),
    retention=(R.TASKS,),
)
not_personal(
    DBTaskResult,
    "task_path",
    "worker_ids",
    "queue_name",
    "backend_name",
    "return_value",
    "exception_class_path",
    "traceback",
    reason=_("How and by which worker an e-mail job ran"),
)
not_personal(WorkerHeartbeat, "worker_id", reason=_("The name of a background process"))
outside(
    "request_logs",
    label=_("Request logs"),
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_(
        "To run the service and find errors: for each request the time, address, result, "
        "duration and the number of the signed-in account (no names, no content)"
    ),
    retention=(R.REQUEST_LOGS,),
)
personal(
    TransitionLog,
    "actor",
    "note",
    "data",
    kind=K.TECHNICAL,
    basis=B.LEGAL_OBLIGATION,
    purpose=_(
        "The audit log of public funding: who did what to which application, grant or "
        "review, and when, with the reasons people gave"
    ),
    retention=(R.AUDIT_LOG,),
)
not_personal(TransitionLog, "action", "from_state", "to_state", reason=_("Names of steps"))
personal(
    EmailText,
    "created_by",
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("Which member of staff changed the words of an e-mail the fund sends"),
    retention=(R.AUDIT_LOG,),
)
not_personal(EmailText, "key", "subject", "body", reason=_("The wording of the fund's e-mails"))
outside(
    "backups",
    label=_("Backups"),
    kind=K.TECHNICAL,
    basis=B.LEGITIMATE_INTEREST,
    purpose=_("To restore the service after a failure: a copy of the database and the files"),
    retention=(R.BACKUPS,),
)
personal(
    Consent,
    "user",
    "given_at",
    "withdrawn_at",
    kind=K.IDENTITY,
    basis=B.LEGAL_OBLIGATION,
    purpose=_("To prove who agreed to what, when, and when they withdrew it (Art. 7(1) GDPR)"),
    retention=(R.FUNDED,),
)
not_personal(
    Consent, "purpose", "version", "text", reason=_("The wording agreed to, and its version")
)
