"""The preview's own pages: the shell with its reload script, agendas, overviews, errors.

Kept apart from the server so each reads on its own.  Every page here is
built from escaped text only; only the shell carries a script, and only the
one served from this module (``RELOAD_JS``), which its CSP allows by origin.
The papers themselves come unchanged from the HTML writer.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from . import danish
from .agenda import agenda
from .errors import Problem
from .project import Project

PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")
SHELL_CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; frame-src 'self'; "
             "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
          "line-height:1.45}li{margin:.3rem 0}code,pre{white-space:pre-wrap;font-size:.95rem}"
          ".fejl li{color:#8a1c1c}")


def page(title: str, body: str) -> bytes:
    """A plain page in the same spirit as the papers: no scripts, strict CSP."""
    return (f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n").encode()


def message_page(title: str, lead: str, lines: list[str], link: bool = False) -> bytes:
    items = "".join(f"<li><code>{html.escape(line, quote=False)}</code></li>\n" for line in lines)
    more = '<p><a href="/oversigt">Til oversigten</a></p>\n' if link else ""
    return page(title, f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(lead)}</p>\n"
                        f'<ul class="fejl">\n{items}</ul>\n{more}')


def _meeting_title(project: Project, mid: str) -> str:
    meeting = project.meetings[mid]
    day = danish.format_date(meeting.dato, project.settings.datoer.prosa)
    return f"{project.settings.committee_name(meeting.udvalg)} {day}"


def meeting_page(project: Project, mid: str) -> bytes:
    """The agenda in order, each item a link to its paper as it stands for this meeting."""
    title = _meeting_title(project, mid)
    items = "".join(
        f'<li value="{item.number}"><a href="/sag/{quote(item.case_id)}?moede={quote(mid)}">'
        f"{html.escape(item.case.titel)}</a>{' (lukket)' if item.closed else ''}</li>\n"
        for item in agenda(project, mid))
    status = html.escape(project.meetings[mid].status)
    return page(title, f"<h1>{html.escape(title)}</h1>\n<p>Dagsorden · status: {status}</p>\n"
                        f"<ol>\n{items or '<li>Ingen punkter endnu.</li>'}</ol>\n")


def overview_page(project: Project, problems: list[Problem]) -> bytes:
    meetings = "".join(f'<li><a href="/moede/{quote(mid)}">'
                       f"{html.escape(_meeting_title(project, mid))}"
                       f"</a></li>\n" for mid in sorted(project.meetings))
    cases = "".join(f'<li><a href="/sag/{quote(cid)}">{html.escape(case.titel)}</a> '
                    f"<small>{html.escape(project.case_paths[cid])}</small></li>\n"
                    for cid, case in sorted(project.cases.items()))
    trouble = "".join(f"<li><code>{html.escape(str(p), quote=False)}</code></li>\n"
                      for p in problems)
    body = f"<h1>Sager og møder</h1>\n<h2>Møder</h2>\n<ul>\n{meetings}</ul>\n"
    body += f"<h2>Sager</h2>\n<ul>\n{cases}</ul>\n"
    if trouble:
        body += f'<h2>Fejl</h2>\n<ul class="fejl">\n{trouble}</ul>\n'
    return page("Sager og møder", body)


def shell(url: str, label: str) -> bytes:
    """The page at ``/``: a status line, and the paper at ``url`` in a frame that our
    script reloads."""
    what = html.escape(label)
    return (f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Forhåndsvisning: {what}</title>\n"
            "<style>html,body{margin:0;height:100%}body{display:flex;flex-direction:column;"
            "font:14px system-ui,sans-serif}header{display:flex;gap:1rem;align-items:baseline;"
            "padding:.4rem .8rem;background:#eef1f4;border-bottom:1px solid #c8ced6}"
            "iframe{flex:1;border:0;width:100%}#status{margin-left:auto;color:#445}</style>\n"
            '<script src="/_preview/genindlaes.js" defer></script>\n</head>\n<body>\n<header>\n'
            f"<strong>Forhåndsvisning</strong> <span>{what}</span>\n"
            f'<a href="{url}" target="side">Start</a> '
            '<a href="/oversigt" target="side">Oversigt</a>\n'
            '<span id="status" role="status" aria-live="polite">Henter …</span>\n</header>\n'
            f'<iframe id="side" name="side" src="{url}" title="Sagen"></iframe>\n'
            "</body>\n</html>\n").encode()


RELOAD_JS = """\
"use strict";
// Served only by 'sagsfremstilling preview'; published pages carry no script.
(function () {
  var frame = document.getElementById("side");
  var status = document.getElementById("status");
  var version = null;
  var scroll = 0;
  frame.addEventListener("load", function () {
    try { frame.contentWindow.scrollTo(0, scroll); } catch (e) { /* other origin */ }
    scroll = 0;
  });
  function poll() {
    fetch("/_preview/status", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (version !== null && s.version !== version) {
          try { scroll = frame.contentWindow.scrollY; } catch (e) { scroll = 0; }
          frame.contentWindow.location.reload();
        }
        version = s.version;
        status.textContent = s.tekst;
      })
      .catch(function () { status.textContent = "Forhåndsvisningen svarer ikke; er den stoppet?"; })
      .then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""
