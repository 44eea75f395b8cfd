"""Reads a PDF report's text positions and its tag tree (pdfplumber) and lists layout
defects a reader would see:

- two pieces of text drawn over each other;
- text outside the page's text area (17 mm side margins);
- a table column whose text runs into the next column (in any row of the table);
- the cells of a table row not starting on the same line (a value slipped beside another
  row's label), and a label of a label-value list with no value on its line;
- a word, reference, amount or date split across two lines (a break that is not at a space
  or after a hyphen in the text the HTML holds; web addresses may break anywhere);
- a page that holds nothing but one row of a table begun on an earlier page.

The PDF is tagged (PDF/UA-1): every character carries the marked-content id of the
element it belongs to, so cells, rows and tables are read from the tag tree, not guessed
from positions."""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pdfplumber

MM = 72 / 25.4
SIDE_MARGIN = 17 * MM
TOLERANCE = 0.6  # points
COLUMN_GAP = 2.0  # points of white between two columns' text, at least
BLOCKS = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "TH", "TD", "LBody", "Lbl", "Caption"}
SOURCE_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "li", "dt", "dd", "caption"}
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normal(text: str) -> str:
    return SPACES.sub(" ", text.replace("\u00ad", "").replace("\u2060", "")).strip()


class SourceTexts(HTMLParser):
    """The text of every block of the HTML (table cells, paragraphs, headings, list items),
    as WeasyPrint received it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[list[str]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handle_data(" ")  # an element's edge may be a line's edge (a block span)
        if tag in SOURCE_TAGS:
            self.open.append([])

    def handle_endtag(self, tag):
        self.handle_data(" ")
        if tag in SOURCE_TAGS and self.open:
            text = normal("".join(self.open.pop()))
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        for part in self.open:
            part.append(data)


def source_texts(html: str) -> list[str]:
    parser = SourceTexts()
    parser.feed(html)
    return parser.texts


@dataclass
class Block:
    """A tagged element that holds text on one page: a cell, paragraph, heading, item."""

    kind: str
    page: int
    chars: list = field(default_factory=list)
    table: int | None = None  # the table (an id per page) and its row and column
    row: int | None = None
    column: int | None = None
    header_row: bool = False

    def lines(self) -> list[list[dict]]:
        """Its characters in lines (by their baseline), each line left to right."""
        rows: list[list[dict]] = []
        for char in sorted(self.chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
            if rows and abs(rows[-1][0]["bottom"] - char["bottom"]) <= 1.0:
                rows[-1].append(char)
            else:
                rows.append([char])
        return [sorted(row, key=lambda c: c["x0"]) for row in rows]

    def line_texts(self) -> list[str]:
        return [text_of(line) for line in self.lines()]

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def first_baseline(self) -> float:
        return min(c["bottom"] for c in self.chars)


def text_of(line: list[dict]) -> str:
    parts = []
    for index, char in enumerate(line):
        if index and char["x0"] - line[index - 1]["x1"] > 0.15 * char["size"]:
            parts.append(" ")
        parts.append(char["text"])
    return normal("".join(parts))


def _mcids(element) -> list[int]:
    found = list(element.get("mcids") or [])
    for child in element.get("children", []):
        if child.get("type") not in BLOCKS:
            found += _mcids(child)
    return found


def blocks_of(page, number: int) -> list[Block]:
    """Walk the page's tag tree: every text block, with its table, row and column."""
    by_mcid = defaultdict(list)
    for char in page.chars:
        if char.get("mcid") is not None and char["text"].strip():
            by_mcid[char["mcid"]].append(char)
    blocks = []
    counter = {"table": 0}

    def walk(element, table=None, row=None, header=False):
        kind = element.get("type")
        if kind == "Table":
            counter["table"] += 1
            table = counter["table"]
            row = None
        elif kind == "THead":
            header = True
        elif kind == "TBody":
            header = False
        elif kind == "TR":
            counter.setdefault(("rows", table), 0)
            counter[("rows", table)] += 1
            row = counter[("rows", table)]
            counter[("cells", table, row)] = 0
        if kind in BLOCKS:
            column = None
            if kind in ("TH", "TD") and row is not None:
                column = counter[("cells", table, row)]
                counter[("cells", table, row)] += 1
            chars = [c for mcid in _mcids(element) for c in by_mcid.get(mcid, [])]
            block = Block(kind, number, chars, table if kind in ("TH", "TD") else None,
                          row, column, header)  # fmt: skip
            if chars:
                blocks.append(block)
            nested = [c for c in element.get("children", []) if c.get("type") in BLOCKS]
            for child in nested:
                walk(child, table, row, header)
            return
        for child in element.get("children", []):
            walk(child, table, row, header)

    for element in page.structure_tree:
        walk(element)
    return blocks


def overlapping_text(page, number: int) -> list[str]:
    chars = [c for c in page.chars if c["text"].strip()]
    grid = defaultdict(list)
    for index, char in enumerate(chars):
        grid[(int(char["x0"] // 20), int(char["top"] // 20))].append(index)
    problems = []
    for index, char in enumerate(chars):
        gx, gy = int(char["x0"] // 20), int(char["top"] // 20)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other_index in grid[(gx + dx, gy + dy)]:
                    if other_index <= index:
                        continue
                    other = chars[other_index]
                    width = min(char["x1"], other["x1"]) - max(char["x0"], other["x0"])
                    height = min(char["bottom"], other["bottom"]) - max(char["top"], other["top"])
                    smaller = min(char["bottom"] - char["top"], other["bottom"] - other["top"])
                    narrower = min(char["x1"] - char["x0"], other["x1"] - other["x0"])
                    # Kerning lets neighbours' boxes touch ("Te"); a collision covers more.
                    if width > max(TOLERANCE, 0.5 * narrower) and height > 0.4 * smaller:
                        problems.append(
                            f"page {number}: {char['text']!r} and {other['text']!r} overlap "
                            f"at x={char['x0']:.0f}, y={char['top']:.0f}"
                        )
    return problems


def outside_text_area(page, number: int) -> list[str]:
    left, right = SIDE_MARGIN - TOLERANCE, page.width - SIDE_MARGIN + TOLERANCE
    outside = [
        c for c in page.chars if c["text"].strip() and not left <= c["x0"] <= c["x1"] <= right
    ]
    if not outside:
        return []
    text = "".join(c["text"] for c in outside[:40])
    return [f"page {number}: text outside the text area: {text!r}"]


def table_problems(blocks: list[Block], number: int) -> list[str]:
    problems = []
    tables = defaultdict(list)
    for block in blocks:
        if block.table is not None:
            tables[block.table].append(block)
    for cells in tables.values():
        rows = defaultdict(list)
        for cell in cells:
            rows[cell.row].append(cell)
        width = max(len(row) for row in rows.values())
        columns = defaultdict(list)
        for row in rows.values():
            if len(row) == width:  # rows with a cell over all columns say "no data"
                for cell in row:
                    columns[cell.column].append(cell)
            first = min(row, key=lambda c: c.column)
            for cell in row:
                if abs(cell.first_baseline - first.first_baseline) > 1.5:
                    problems.append(
                        f"page {number}: {' '.join(cell.line_texts())!r} is not on the line of "
                        f"{' '.join(first.line_texts())!r}"
                    )
        for column in sorted(columns)[:-1]:
            right = max(columns[column], key=lambda c: c.x1)
            following = list(columns.get(column + 1, []))
            if not following:
                continue
            left = min(following, key=lambda c: c.x0)
            if right.x1 + COLUMN_GAP > left.x0:
                problems.append(
                    f"page {number}: column {column + 1} runs into column {column + 2}: "
                    f"{' '.join(right.line_texts())!r} reaches {' '.join(left.line_texts())!r}"
                )
    return problems


def orphan_rows(blocks: list[Block], number: int) -> list[str]:
    if not blocks or any(b.table is None for b in blocks):
        return []
    tables = {b.table for b in blocks}
    body_rows = {(b.table, b.row) for b in blocks if not b.header_row}
    if len(tables) == 1 and len(body_rows) == 1:
        text = " ".join(" ".join(b.line_texts()) for b in blocks if not b.header_row)
        return [f"page {number}: a single row on its own page: {text[:80]!r}"]
    return []


def unlabelled_values(blocks: list[Block], labels: set[str], number: int) -> list[str]:
    """A label of a label-value pair (the facts of a project) must have its value on its
    first line, right of it."""
    problems = []
    cells = [b for b in blocks if b.kind in ("TH", "TD", "LBody", "Lbl")]
    by_baseline = defaultdict(list)
    for block in cells:
        for line in block.lines():
            by_baseline[round(line[0]["bottom"])].extend(line)
    for block in cells:
        first = block.lines()[0]
        text = text_of(first)
        for label in labels:
            prefix = _longest_prefix(label, text)
            if not prefix or len(prefix) < min(len(label), 6):
                continue
            right = [c for c in by_baseline[round(first[0]["bottom"])] if c["x0"] > first[-1]["x1"]]
            if not text[len(prefix) :].strip() and not right:
                problems.append(f"page {number}: the label {label!r} has no value on its line")
    return problems


def _longest_prefix(label: str, text: str) -> str:
    words = label.split(" ")
    for count in range(len(words), 0, -1):
        prefix = " ".join(words[:count])
        if text == prefix or text.startswith(prefix + " "):
            return prefix
    return ""


def split_words(blocks: list[Block], sources: list[str]) -> tuple[list[str], int]:
    """Line breaks inside words; and how many blocks were matched with their source."""
    squeezed = [(text, text.replace(" ", "")) for text in sources]
    problems, matched = [], 0
    for block in blocks:
        lines = block.line_texts()
        joined = "".join(lines).replace(" ", "")
        candidates = [text for text, flat in squeezed if joined and joined in flat]
        if not candidates:
            if block.kind in ("TH", "TD"):
                problems.append(
                    f"page {block.page}: cell text {' / '.join(lines)!r} is not in the HTML"
                )
            continue
        matched += 1
        verdicts = [_breaks(lines, text) for text in candidates]
        if all(verdicts):
            problems.append(f"page {block.page}: split across lines: {verdicts[0]}")
    return problems, matched


def _breaks(lines: list[str], text: str) -> str:
    """ "" when every break between ``lines`` falls where ``text`` may break, else the word."""
    positions = [index for index, char in enumerate(text) if char != " "]
    flat = "".join(text.split(" "))
    start = flat.find("".join(lines).replace(" ", ""))
    offset = start
    for line in lines[:-1]:
        offset += len(line.replace(" ", ""))
        at = positions[offset]
        before = text[at - 1] if at else " "
        if before == " " or before in "-–":
            continue
        word_start = text.rfind(" ", 0, at) + 1
        word_end = text.find(" ", at)
        word = text[word_start : word_end if word_end >= 0 else len(text)]
        if word.startswith(("http://", "https://")):
            continue
        return f"{word!r} as {text[word_start:at]!r} / {text[at : word_end if word_end >= 0 else len(text)]!r}"
    return ""


@dataclass
class Layout:
    pages: int
    problems: list[str]
    cells: int  # table cells read from the tag tree
    matched: int  # text blocks compared with the HTML
    labelled_lines: int = 0


def layout_problems(content: bytes, html: str, *, labels=()) -> Layout:
    sources = source_texts(html)
    problems, cells, matched = [], 0, 0
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            blocks = blocks_of(page, number)
            cells += sum(1 for b in blocks if b.table is not None)
            problems += overlapping_text(page, number)
            problems += outside_text_area(page, number)
            problems += table_problems(blocks, number)
            problems += orphan_rows(blocks, number)
            problems += unlabelled_values(blocks, set(labels), number)
            split, found = split_words(blocks, sources)
            problems += split
            matched += found
        return Layout(len(pdf.pages), problems, cells, matched)
