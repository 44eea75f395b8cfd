# The audit log now belongs to the workflow app (workflow 0001 takes the model over; the table
# and its rows stay). Only Django's migration state changes here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0002_staff_list_sort_indexes"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TransitionLog")],
            database_operations=[],
        ),
    ]
