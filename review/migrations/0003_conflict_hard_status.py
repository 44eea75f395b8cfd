# A juror's own application, or one whose team names a verified address of theirs, is a
# conflict of interest that cannot be dismissed (issue 15, item 4). The data step records
# it for the juries still at work and releases such assignments made before the rule.

from django.db import migrations, models
from django.utils import timezone

OPEN_PHASES = ("preparation", "scoring", "discussion")
CONFLICT_LIST_STATES = (
    "eligible",
    "in_review",
    "reviewed",
    "approved",
    "waitlisted",
    "rejected",
    "funded",
    "final_report_due",
    "completed",
    "terminated",
)


def record_hard_conflicts(apps, schema_editor):
    JuryMember = apps.get_model("review", "JuryMember")
    Application = apps.get_model("grants", "Application")
    TeamMember = apps.get_model("grants", "TeamMember")
    EmailAddress = apps.get_model("account", "EmailAddress")
    ConflictOfInterest = apps.get_model("review", "ConflictOfInterest")
    Assignment = apps.get_model("review", "Assignment")
    now = timezone.now()
    members = JuryMember.objects.filter(
        user__isnull=False, jury__phase__in=OPEN_PHASES
    ).values_list("jury__call_id", "user_id")
    for call_id, user_id in members:
        verified = {
            email.lower()
            for email in EmailAddress.objects.filter(user_id=user_id, verified=True).values_list(
                "email", flat=True
            )
        }
        applications = Application.objects.filter(call_id=call_id, state__in=CONFLICT_LIST_STATES)
        hard = {
            pk: "owner" for pk in applications.filter(owner_id=user_id).values_list("pk", flat=True)
        }
        for application_id, email in TeamMember.objects.filter(
            application__in=applications
        ).values_list("application_id", "email"):
            if email.lower() in verified:
                hard.setdefault(application_id, "team")
        for application_id, reason in hard.items():
            ConflictOfInterest.objects.update_or_create(
                juror_id=user_id,
                application_id=application_id,
                defaults={
                    "status": "hard",
                    "kind": "own",
                    "reasons": {"own": reason},
                    "decided_at": now,
                },
            )
            Assignment.objects.filter(
                juror_id=user_id, application_id=application_id, released_at__isnull=True
            ).update(released_at=now, release_reason="conflict of interest")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_ranking_basis_calibrated_score"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conflictofinterest",
            name="status",
            field=models.CharField(
                choices=[
                    ("suggested", "Suggested, to confirm or dismiss"),
                    ("declared", "Declared"),
                    ("dismissed", "Dismissed"),
                    ("hard", "Own application or team member: cannot be dismissed"),
                ],
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(record_hard_conflicts, migrations.RunPython.noop),
    ]
