"""The models and their migrations agree. A field, index or constraint changed in a model
without its migration would differ between the tests (SQLite, built from the migrations)
and what the code expects, so the suite checks it, not only CI."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Models and migrations differ:\n{output.getvalue()}")
    assert output.getvalue() == "No changes detected\n"
