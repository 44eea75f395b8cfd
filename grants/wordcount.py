import re

# White space as JavaScript's \s defines it, spelled out so that Python (whose \s differs
# at the edges) and static/js/fund.js count exactly the same words.
WHITE_SPACE = "\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WORD = re.compile(f"[^{WHITE_SPACE}]+")


def count_words(text: str | None) -> int:
    """Words are runs of characters that are not white space."""
    return len(_WORD.findall(text or ""))
