# The audit log moves from the grants app to the workflow app, which every app shares. The
# table stays where it is (Meta.db_table), so no row is copied: this migration only takes the
# model over in Django's state (grants 0003 lets go of it) and adds the structured data field.

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("grants", "0002_staff_list_sort_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TransitionLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("action", models.CharField(max_length=80, verbose_name="action")),
                        ("from_state", models.CharField(blank=True, max_length=32, verbose_name="from")),
                        ("to_state", models.CharField(blank=True, max_length=32, verbose_name="to")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="time"),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        (
                            "visible_to_applicant",
                            models.BooleanField(default=False, verbose_name="visible to the applicant"),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "log entry",
                        "verbose_name_plural": "log entries",
                        "db_table": "grants_transitionlog",
                        "ordering": ["created_at", "pk"],
                        "indexes": [
                            models.Index(
                                fields=["content_type", "object_id", "created_at"],
                                name="grants_tran_content_fa7cdb_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="transitionlog",
            name="data",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="data",
            ),
        ),
    ]
