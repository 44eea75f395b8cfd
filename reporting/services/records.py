"""Handing out a call's selection record as a PDF: each download is logged with the
document's SHA-256, so that a copy can later be shown to be the one handed out."""

import hashlib

from reporting.selection_record import selection_record_pdf
from review import events
from workflow.audit import log_event


def download_selection_record(*, record, actor, language: str) -> bytes:
    content = selection_record_pdf(record, language)
    log_event(
        subject=record,
        action=events.RECORD_PDF,
        actor=actor,
        data={"language": language, "sha256": hashlib.sha256(content).hexdigest()},
    )
    return content
