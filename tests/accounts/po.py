"""A small reader of gettext .po files, for checking allauth's catalogue against ours."""

import re
from dataclasses import dataclass, field

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


@dataclass
class Entry:
    references: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def msgctxt(self):
        return self.fields.get("msgctxt")

    @property
    def translations(self) -> list[str]:
        return [value for name, value in self.fields.items() if name.startswith("msgstr")]


def _unescape(text: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[m.group(1)], text
    )


def read_po(path) -> list[Entry]:
    entries, entry, last = [], Entry(), None
    with open(path, encoding="utf-8") as lines:
        text = lines.read()
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            if entry.fields:
                entries.append(entry)
            entry, last = Entry(), None
        elif line.startswith("#:"):
            entry.references += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#"):
            continue
        elif match := _LINE.match(line):
            last = match.group(1)
            entry.fields[last] = _unescape(match.group(2))
        elif line.startswith('"') and last:
            entry.fields[last] += _unescape(line[1:-1])
    if entry.fields:
        entries.append(entry)
    return [e for e in entries if e.msgid]
