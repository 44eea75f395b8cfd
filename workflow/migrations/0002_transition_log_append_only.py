# The audit log is append-only. The model refuses changes (TransitionLog.save/delete and its
# queryset, workflow/models.py); on PostgreSQL a trigger also refuses UPDATE and DELETE of log rows, whatever
# the client. SQLite (development, tests) relies on the model alone.

from django.db import migrations

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
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
