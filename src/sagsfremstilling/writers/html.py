"""HTML writer: one self-contained, accessible page per Document.

The markup lives in Jinja2 templates under ``<templates>/html/`` so a
municipality can restyle its pages without touching code; this module only
prepares plain data (``document.to_data`` with heading levels made safe for
HTML), keeps the parsed templates and the stylesheet cached, and lends both to
the meeting-packet builder so its pages look the same::

    env = html.environment(options.templates)          # shared, cached
    html.render_page("html/pakke.html.j2", {"meta": meta, ...}, options)

Case text is data, never markup or template code: autoescape is on for every
template, text reaches the page only through ``{{ }}``, and links are emitted
only for http, https and mailto addresses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import jinja2
from markupsafe import Markup

from ..document import Document, to_data
from ..errors import TemplateError
from . import RenderOptions

EXTENSION = ".html"

PAGE_TEMPLATE = "html/sag.html.j2"
"""The template for one case paper; it extends ``html/base.html.j2``."""

STYLESHEET = "html/stil.css"
"""The one stylesheet, relative to the templates folder, embedded in every page."""

_SAFE_URL = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
_stylesheets: dict[Path, tuple[int, Markup]] = {}


def safe_url(url: object) -> bool:
    """Whether ``url`` may become an ``href``: http, https or mailto only.

    Compose already guarantees this; checking again here is cheap and keeps a
    ``javascript:`` link from ever reaching a browser if compose slips.  The
    scheme must be the literal start of the string, so leading spaces or
    control characters (which browsers strip) make a URL unsafe, too.
    """
    return isinstance(url, str) and _SAFE_URL.match(url) is not None


def _unknown_node(node_type: object) -> NoReturn:
    """Called by the templates for a node type they do not know: a bug, not bad input."""
    raise TypeError(f"the HTML templates have no branch for node type {node_type!r}")


@functools.cache
def environment(templates: Path) -> jinja2.Environment:
    """The Jinja2 Environment for a templates folder, built once per folder.

    Autoescape is on for every template whatever its name, undefined names
    raise (``StrictUndefined``), and ``auto_reload`` stays on so ``watch`` sees
    edited templates (a stat per template, no re-parse).  Besides Jinja's
    built-ins, templates get the test ``safe_url`` and the global
    ``unknown_node``; see ``templates/html/blokke.html.j2`` for the macros.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["safe_url"] = safe_url
    env.globals["unknown_node"] = _unknown_node
    return env


def stylesheet(templates: Path) -> Markup:
    """The text of ``html/stil.css``, ready to embed in ``<style>``.

    Cached per folder and re-read only when the file changes.  ``</`` is
    written as ``<\\/`` (the same CSS) so the text can never close the
    ``<style>`` element, whatever a municipality puts in its stylesheet.
    """
    path = templates / STYLESHEET
    mtime = path.stat().st_mtime_ns
    cached = _stylesheets.get(path)
    if cached is None or cached[0] != mtime:
        css = path.read_text(encoding="utf-8").replace("</", "<\\/")
        cached = (mtime, Markup(css.strip()))
        _stylesheets[path] = cached
    return cached[1]


def render_page(template_name: str, context: dict[str, Any], options: RenderOptions) -> bytes:
    """Render any page template with the shared look, as UTF-8 bytes.

    ``template_name`` is relative to ``options.templates`` and should extend
    ``html/base.html.j2``, which needs ``meta`` in the context (a
    ``document.Meta``: title, lang, municipality, header, watermark, date) and
    offers the blocks ``title``, ``head``, ``header``, ``content`` and
    ``footer``.  ``stylesheet`` is added here; a key of that name in
    ``context`` wins.
    """
    try:
        template = environment(options.templates).get_template(template_name)
        page = template.render({"stylesheet": stylesheet(options.templates), **context})
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"HTML-skabelonen {exc.name} findes ikke") from exc
    return page.encode("utf-8")


def blocks_data(doc: Document, top: int = 1) -> list[dict[str, Any]]:
    """The Document's blocks as plain dicts, with heading levels safe for HTML.

    The first level-1 heading outside lists and quotes is the title: it gets
    level ``top`` and ``"title": True``.  Every other heading gets
    ``"title": False`` and a level below ``top`` that is at most one deeper
    than the heading before it, so a page never has two titles or skips a
    level.  ``top=2`` lets the packet builder put several items under its own
    ``<h1>``.
    """
    blocks: list[dict[str, Any]] = to_data(doc.blocks)
    previous, have_title = top, False
    for heading, nested in _headings(blocks, nested=False):
        is_title = heading["level"] == 1 and not nested and not have_title
        if is_title:
            level, have_title = top, True
        else:
            level = max(top + 1, min(heading["level"] - 1 + top, previous + 1, 6))
        heading["level"], heading["title"] = level, is_title
        previous = level
    return blocks


def _headings(nodes: list[dict[str, Any]], nested: bool) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every heading in document order, and whether it sits inside a list or quote."""
    for node in nodes:
        if node["type"] == "heading":
            yield node, nested
        elif node["type"] in ("quote", "listitem"):
            yield from _headings(node["children"], nested=True)
        elif node["type"] == "list":
            yield from _headings(node["items"], nested=True)


def render(doc: Document, options: RenderOptions) -> bytes:
    """The case paper as one self-contained HTML page (styles inline, no scripts)."""
    return render_page(PAGE_TEMPLATE, {"meta": doc.meta, "blocks": blocks_data(doc)}, options)
