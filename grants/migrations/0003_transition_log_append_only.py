# The audit log is append-only. The model refuses changes (TransitionLog.save/delete and its
# queryset); on PostgreSQL a trigger also refuses UPDATE and DELETE of log rows, whatever
# the client. SQLite (development, tests) relies on the model alone.

import django.utils.timezone
from django.db import migrations, models

CREATE_TRIGGER = [
    """
    CREATE FUNCTION grants_transitionlog_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = 'grants_transitionlog is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER grants_transitionlog_append_only
        BEFORE UPDATE OR DELETE ON grants_transitionlog
        FOR EACH ROW EXECUTE FUNCTION grants_transitionlog_refuse_change()
    """,
]
DROP_TRIGGER = [
    "DROP TRIGGER IF EXISTS grants_transitionlog_append_only ON grants_transitionlog",
    "DROP FUNCTION IF EXISTS grants_transitionlog_refuse_change()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_TRIGGER:
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TRIGGER:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_staff_list_sort_indexes"),
    ]

    operations = [
        # A default instead of auto_now_add, so that seeded entries are inserted with the
        # time of their event rather than updated afterwards.
        migrations.AlterField(
            model_name="transitionlog",
            name="created_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="time",
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
