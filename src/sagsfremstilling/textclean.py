"""The one place where text from a case file is made safe to print.

Text pasted from Word, e-mail and old systems carries characters that XML
forbids (vertical tab, form feed and other C0 controls, which break DOCX and
HTML) and bidirectional overrides that can make a paper read differently from
what it says.  Both are removed here, before any writer sees the text.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline; DEL and C1 controls; bidi embeddings,
# overrides and isolates; the byte-order mark and non-characters.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
    "\ue000-\uf8ff]"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without characters that must never reach a document.

    Form feed and vertical tab become spaces (they separated words in the
    source); everything else listed above is dropped.  Surrogates (only a YAML
    escape such as ``"\\ud83d\\ude00"`` can make them) are joined into the
    character a valid pair stands for, and dropped when alone: no writer can
    encode a lone surrogate as UTF-8.
    """
    text = text.replace("\x0b", " ").replace("\x0c", " ").replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return _FORBIDDEN.sub("", text)
