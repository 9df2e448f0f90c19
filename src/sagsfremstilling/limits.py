"""How much one input file may ask of the tool: the resource bounds, in one place.

A hostile or runaway file must end in a clear Danish message, not in minutes of
work or gigabytes of memory.  The YAML reader (``yamlread``) enforces every
bound while it reads, so nothing later ever sees an input beyond them:

=====================  ===========  ==================================================
bound                  value        why
=====================  ===========  ==================================================
``MAX_FILE_BYTES``     2 MiB        a case file is a few kilobytes; checked before reading
``MAX_DEPTH``          24 levels    the schema nests at most 6; stops ``[[[[…`` recursion
``MAX_LIST_ITEMS``     2,000        no real list (points, votes, bilag) comes near it
``MAX_TEXT_CHARS``     100,000      one text field: about 40 printed pages
=====================  ===========  ==================================================

Aliases (``*navn``) are refused outright, so a file cannot expand beyond its
own size ("billion laughs").

What the bounds buy in time (measured on one core of the CI machine, all three
formats, see the hostile-input report): a case with one text field at
``MAX_TEXT_CHARS`` of ordinary Danish prose renders in about 6 s, nearly all of
it the PDF; Typst's layout time grows linearly with the text, so a case file
at ``MAX_FILE_BYTES`` made of such fields takes about a minute.  Text with a
line-break opportunity at every character (a run of backslashes, ``$`` or
``+``) is about 40 times slower to lay out with the house template's
``linebreaks: "optimized"``; that is the template's to fix, not a bound's.
"""

from __future__ import annotations

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A case file is a few kilobytes; two mebibytes is far beyond any real one."""

MAX_DEPTH = 24
"""Nesting of lists and mappings; the deepest real structure (a vote in a decision) is 6."""

MAX_LIST_ITEMS = 2000
"""Items in one list."""

MAX_TEXT_CHARS = 100_000
"""Characters in one text value (a section, a title, a decision): about 40 printed pages.

Longer material belongs in a bilag; the bound keeps the time to lay out one
case in seconds."""


def thousands(n: int) -> str:
    """12345 → '12.345', as Danish writes large numbers."""
    return f"{n:,}".replace(",", ".")
