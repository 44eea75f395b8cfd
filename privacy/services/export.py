"""A person's data as a download (GDPR Art. 15 and 20): a ZIP with a JSON file per kind of
data (machine-readable), a readable summary in the person's language (README.html) and
their own files. Every download is logged, by the person or by the staff member who made it
on their request."""

import json
import shutil
import tempfile
import zipfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.identity import file_stem, fund_name
from core.storage import private_storage
from privacy.events import DATA_EXPORTED
from privacy.export import collect
from privacy.kinds import KIND_DESCRIPTIONS, DataKind
from privacy.summary import render
from workflow.audit import log_event

IN_MEMORY_BYTES = 16 * 1024 * 1024  # larger downloads spill to a temporary file


def export_personal_data(*, person, actor):
    """(file name, open file at its start) of the ZIP, and the log entry of the download."""
    person = get_user_model().objects.get(pk=person.pk)  # not request.user's lazy object
    data = collect(person)
    files = data.pop("files")
    today = timezone.localdate()
    with translation.override(person.language):
        summary = render_to_string(
            "privacy/export/summary.html",
            {
                "person": person,
                "fund_name": fund_name(),
                "made_on": today,
                "contact": settings.PRIVACY_CONTACT_EMAIL,
                "sections": [
                    {
                        "kind": kind,
                        "label": DataKind(kind).label,
                        "description": KIND_DESCRIPTIONS[kind],
                        "html": render(data[kind]),
                    }
                    for kind in DataKind.values
                ],
                "files": [path for path, _stored in files],
            },
        )
    archive_file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.html", summary)
        for kind in DataKind.values:
            archive.writestr(
                f"data/{kind}.json", json.dumps(data[kind], ensure_ascii=False, indent=2) + "\n"
            )
        storage = private_storage()
        for path, stored_name in files:
            if storage.exists(stored_name):
                with storage.open(stored_name, "rb") as source, archive.open(path, "w") as target:
                    shutil.copyfileobj(source, target)
    archive_file.seek(0)
    with transaction.atomic():
        log_event(
            subject=person,
            action=DATA_EXPORTED,
            actor=actor,
            data={"on_request": actor.pk != person.pk},
        )
    return f"{file_stem()}-personal-data-{today.isoformat()}.zip", archive_file
