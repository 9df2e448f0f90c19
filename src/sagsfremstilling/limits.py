"""How much one input file may ask of the tool: the resource bounds, in one place.

A hostile or runaway file must end in a clear Danish message, not in minutes of
work or gigabytes of memory.  The YAML reader (``yamlread``) enforces every
bound while it reads, so nothing later ever sees an input beyond them:

=====================  ===========  ==================================================
bound                  value        why
=====================  ===========  ==================================================
``MAX_FILE_BYTES``     512 KiB      a case file is a few kilobytes; checked before reading
``MAX_DEPTH``          24 levels    the schema nests at most 6; stops ``[[[[…`` recursion
``MAX_LIST_ITEMS``     2,000        no real list (points, votes, bilag) comes near it
``MAX_TEXT_CHARS``     100,000      one text field: about 40 printed pages
=====================  ===========  ==================================================

Aliases (``*navn``) are refused outright, so a file cannot expand beyond its
own size ("billion laughs").

Together they are the time bound for one case.  Typst's layout time grows
linearly with the text, and is about five times higher for text with a line
break opportunity at every character (a run of ``$``, ``+`` or ``\\``) under
the house template's ``linebreaks: "optimized"``.  Measured with ``check`` and
``render`` of all three formats on the 2-core CI machine under load:

* one field at ``MAX_TEXT_CHARS`` of Danish prose: about 4 s;
* the largest case file allowed, 500 KB of prose in five such fields: 9 s
  (the PDF 7.6 s, 180 MB);
* the same file of ``$`` only, the slowest text found: 35-40 s.

At 2 MiB (the bound before) the last case took over two minutes for the PDF alone.
"""

from __future__ import annotations

MAX_FILE_BYTES = 512 * 1024
"""A case file is a few kilobytes; half a megabyte is a hundred times a long one, and
it bounds the time to lay out one case (see above)."""

MAX_DEPTH = 24
"""Nesting of lists and mappings; the deepest real structure (a vote in a decision) is 6."""

MAX_LIST_ITEMS = 2000
"""Items in one list."""

MAX_TEXT_CHARS = 100_000
"""Characters in one text value (a section, a title, a decision): about 40 printed pages.

Longer material belongs in a bilag; the bound keeps the time to lay out one
case in seconds."""


MAX_SHOWN_CHARS = 40
"""How much of a value or a key a message quotes: enough to find it, never a page."""


def shown(text: object) -> str:
    """``text`` as a message quotes it: at most ``MAX_SHOWN_CHARS``, cut with "…"."""
    text = str(text)
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "…"


def thousands(n: int) -> str:
    """12345 → '12.345', as Danish writes large numbers."""
    return f"{n:,}".replace(",", ".")
