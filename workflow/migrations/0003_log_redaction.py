# Erasure under the GDPR without breaking the log's guarantee: an entry may be redacted in
# place (personal values in ``data`` and the ``note`` replaced by the marker, ``redacted_at``
# stamped) and nothing else. On PostgreSQL the trigger now lets exactly that UPDATE through:
# the same keys, every changed value the marker, the note unchanged or the marker, every
# other column unchanged, and ``redacted_at`` set (never cleared or moved back). DELETE and
# every other UPDATE are still refused, whatever the client.

from django.db import migrations, models

ALLOW_REDACTION = """
CREATE OR REPLACE FUNCTION grants_transitionlog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.redacted_at IS NOT NULL
       AND (OLD.redacted_at IS NULL OR NEW.redacted_at >= OLD.redacted_at)
       AND NEW.id = OLD.id
       AND NEW.content_type_id = OLD.content_type_id
       AND NEW.object_id = OLD.object_id
       AND NEW.action = OLD.action
       AND NEW.from_state = OLD.from_state
       AND NEW.to_state = OLD.to_state
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.created_at = OLD.created_at
       AND NEW.visible_to_applicant = OLD.visible_to_applicant
       AND (NEW.note = OLD.note OR NEW.note = '[redacted]')
       AND jsonb_typeof(NEW.data) = 'object'
       AND (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(NEW.data) AS k)
           IS NOT DISTINCT FROM
           (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(OLD.data) AS k)
       AND NOT EXISTS (
           SELECT 1 FROM jsonb_each(OLD.data) AS o JOIN jsonb_each(NEW.data) AS n USING (key)
           WHERE n.value <> o.value AND n.value <> to_jsonb('[redacted]'::text)
       )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'grants_transitionlog is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION grants_transitionlog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'grants_transitionlog is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def allow_redaction(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_REDACTION, params=None)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_transition_log_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionlog",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="redacted"),
        ),
        migrations.RunPython(allow_redaction, refuse_all, elidable=False),
    ]
