"""What an answer changed in a proposal, as staff read it: word by word for the text
sections, line by line for milestones, team and budget. Plain Python (difflib), no Django."""

import difflib
import re
from dataclasses import dataclass

# A word with the white space after it (and white space at the very start on its own), so
# that unchanged spaces between changed words do not split a change into fragments.
_TOKENS = re.compile(r"^\s+|\S+\s*")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed" or "added"
    text: str


def _pieces(old_tokens, new_tokens) -> list[Piece]:
    pieces: list[Piece] = []

    def add(kind, tokens):
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + text)
        else:
            pieces.append(Piece(kind, text))

    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            add("same", old_tokens[a1:a2])
        else:
            add("removed", old_tokens[a1:a2])
            add("added", new_tokens[b1:b2])
    return pieces


def text_diff(old: str, new: str) -> list[Piece]:
    """Word-level differences between two texts; white space travels with the words, so
    that joining the pieces of one side gives that side back exactly."""
    return _pieces(_TOKENS.findall(old or ""), _TOKENS.findall(new or ""))


def line_diff(old_lines: list[str], new_lines: list[str]) -> list[Piece]:
    """Line-level differences (one piece per line), for lists such as milestones."""
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            pieces += [Piece("same", line) for line in old_lines[a1:a2]]
        else:
            pieces += [Piece("removed", line) for line in old_lines[a1:a2]]
            pieces += [Piece("added", line) for line in new_lines[b1:b2]]
    return pieces
