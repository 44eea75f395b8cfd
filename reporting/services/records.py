"""Handing out a call's selection record as a PDF: each download is logged with the
document's SHA-256, so that a copy can later be shown to be the one handed out."""

import hashlib

from reporting.selection_record import selection_record_pdf
from review import events
from workflow.audit import log_event


def download_selection_record(*, record, actor, language: str, for_ministry: bool = False) -> bytes:
    """The record as a PDF (the ministry's version names funded projects only), logged
    with its SHA-256 and, for the ministry's version, its name."""
    content = selection_record_pdf(record, language, for_ministry=for_ministry)
    data = {"language": language, "sha256": hashlib.sha256(content).hexdigest()}
    if for_ministry:
        data["version"] = "ministry"
    log_event(subject=record, action=events.RECORD_PDF, actor=actor, data=data)
    return content
