import json
import logging

import pytest


@pytest.fixture
def log_lines():
    """``log_lines("django.request")``: a list that receives every record of that logger
    as the console writes it (its filters, then its JSON formatter), parsed."""
    console = next(
        handler
        for handler in logging.getLogger("ops.requests").handlers
        if isinstance(handler, logging.StreamHandler)
    )
    attached = []

    class Keep(logging.Handler):
        def __init__(self, lines):
            super().__init__()
            self.lines = lines

        def emit(self, record):
            for log_filter in console.filters:
                log_filter.filter(record)
            self.lines.append(json.loads(console.formatter.format(record)))

    def watch(name):
        lines = []
        handler = Keep(lines)
        logging.getLogger(name).addHandler(handler)
        attached.append((name, handler))
        return lines

    yield watch
    for name, handler in attached:
        logging.getLogger(name).removeHandler(handler)


@pytest.fixture
def request_log(log_lines):
    return log_lines("ops.requests")
