"""Write ``sag.docx``, the Word template of the DOCX writer, from the XML below.

The template is generated rather than edited in Word so that every byte of it
is reviewable and reproducible: no author names, revision ids or theme clutter
that Word would add.  It owns what a secretariat may want to restyle – page
setup, styles, list formats, running header, footer and watermark – while the
writer (``sagsfremstilling.writers.docx``) fills in only the case.

Run by hand after editing (``python templates/make_docx_template.py``);
``tests/test_writer_docx.py`` fails when the committed ``sag.docx`` is stale.

Jinja tags in the parts, rendered by docxtpl:
  ``{{p body }}``      the paragraph the body replaces (built by the writer)
  ``{{ header }}``     the running header text, ``{% if header %}`` guarded
  ``{{r footer }}``    the footer runs with PAGE/NUMPAGES fields
  ``{{ watermark }}``  the VML watermark text, ``{% if watermark %}`` guarded
Also in the context, all escaped: title, municipality, item_label,
case_number, status_label, date.  Lists: w:num 1 is the numbered format and
w:num 2 the bulleted one; the writer gives every list its own copy.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).with_name("sag.docx")

FONT = "Arial"  # Liberation Sans substitutes it metric for metric where Arial is missing.
GREY = "505050"
# A4 with the house margins (top 3 cm, bottom 2.5 cm, left 2.5 cm, right 2 cm) in twips.
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1701, 1418, 1418, 1134

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

CONTENT_TYPES = f"""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{CT_WML}.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{CT_WML}.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="{CT_WML}.numbering+xml"/>
<Override PartName="/word/settings.xml" ContentType="{CT_WML}.settings+xml"/>
<Override PartName="/word/header1.xml" ContentType="{CT_WML}.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="{CT_WML}.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

PACKAGE_RELS = f"""<Relationships xmlns="{RELS}">
<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{OFFICE}/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOCUMENT_RELS = f"""<Relationships xmlns="{RELS}">
<Relationship Id="rId1" Type="{OFFICE}/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{OFFICE}/numbering" Target="numbering.xml"/>
<Relationship Id="rId3" Type="{OFFICE}/settings" Target="settings.xml"/>
<Relationship Id="rId4" Type="{OFFICE}/header" Target="header1.xml"/>
<Relationship Id="rId5" Type="{OFFICE}/footer" Target="footer1.xml"/>
</Relationships>"""

# Only the title is ever set (by the writer); everything else stays empty.
CORE = """<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title></dc:title></cp:coreProperties>"""

APP = """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>sagsfremstilling</Application></Properties>"""

DOCUMENT = f"""<w:document {NS}><w:body>
<w:p><w:r><w:t xml:space="preserve">{{{{p body }}}}</w:t></w:r></w:p>
<w:sectPr>
<w:headerReference w:type="default" r:id="rId4"/>
<w:footerReference w:type="default" r:id="rId5"/>
<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>
<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" \
w:left="{MARGIN_LEFT}" w:header="850" w:footer="567" w:gutter="0"/>
<w:cols w:space="708"/>
</w:sectPr>
</w:body></w:document>"""


def _t(jinja: str) -> str:
    """A run holding only a Jinja tag (docxtpl strips the run for ``{%r``/``{{r``)."""
    return f'<w:r><w:t xml:space="preserve">{jinja}</w:t></w:r>'


# Word's own watermark shape (what "Design > Watermark" writes), so Word and
# LibreOffice both recognise it, and it sits on every page behind the text.
WATERMARK_SHAPE = """<w:r><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" \
path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>\
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>\
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>\
<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" \
o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>
<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" \
style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;\
z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;\
mso-position-vertical:center;mso-position-vertical-relative:margin" \
o:allowincell="f" fillcolor="#d9d9d9" stroked="f">
<v:fill opacity=".6"/>
<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt;font-weight:bold" string="{{ watermark }}"/>
<w10:wrap anchorx="margin" anchory="margin"/>
</v:shape>
</w:pict></w:r>"""

HEADER = f"""<w:hdr {NS}>
<w:p>{_t("{%p if header %}")}</w:p>
<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>\
<w:r><w:t xml:space="preserve">{{{{ header }}}}</w:t></w:r></w:p>
<w:p>{_t("{%p endif %}")}</w:p>
<w:p><w:pPr><w:pStyle w:val="Vandmaerke"/></w:pPr>\
{_t("{%r if watermark %}")}{WATERMARK_SHAPE}{_t("{%r endif %}")}</w:p>
</w:hdr>"""

FOOTER = f"""<w:ftr {NS}>
<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{_t("{{r footer }}")}</w:p>
</w:ftr>"""

SETTINGS = f"""<w:settings {NS}>
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="709"/>
<w:autoHyphenation/>
<w:hyphenationZone w:val="425"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" \
w:val="15"/></w:compat>
<w:themeFontLang w:val="da-DK"/>
<w:decimalSymbol w:val=","/>
<w:listSeparator w:val=";"/>
</w:settings>"""


def _style(
    kind: str,
    sid: str,
    name: str,
    body: str,
    *,
    based: str = "",
    nxt: str = "",
    default: bool = False,
    qformat: bool = True,
) -> str:
    attrs = f'w:type="{kind}" w:styleId="{sid}"' + (' w:default="1"' if default else "")
    parts = [f'<w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if nxt:
        parts.append(f'<w:next w:val="{nxt}"/>')
    if qformat:
        parts.append("<w:qFormat/>")
    return f"<w:style {attrs}>{''.join(parts)}{body}</w:style>"


def _border(side: str, size: int, color: str, space: int = 1) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
GREY_SMALL = f'<w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>'

DOC_DEFAULTS = f"""<w:docDefaults>
<w:rPrDefault><w:rPr>{FONTS}<w:sz w:val="22"/><w:szCs w:val="22"/>\
<w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>"""

CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
)
TABLE_BORDERS = "".join(
    _border(side, 4, "6E6E6E", 0)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
KEEP = "<w:keepNext/><w:keepLines/>"
BOLD = "<w:b/><w:bCs/>"

STYLE_LIST = [
    # Defaults Word expects to find.
    _style("paragraph", "Normal", "Normal", "", default=True),
    _style("character", "DefaultParagraphFont", "Default Paragraph Font", "", default=True,
           qformat=False),
    _style("table", "TableNormal", "Normal Table",
           f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{CELL_MARGINS}</w:tblPr>',
           default=True, qformat=False),
    _style("numbering", "NoList", "No List", "", default=True, qformat=False),
    # Headings: the item title, sections, and a stage's decision set a little apart.
    _style("paragraph", "Heading1", "heading 1",
           f'<w:pPr>{KEEP}<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>'
           f'<w:outlineLvl w:val="0"/></w:pPr>'
           f'<w:rPr>{BOLD}<w:kern w:val="28"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>',
           based="Normal", nxt="Normal"),
    _style("paragraph", "Heading2", "heading 2",
           f'<w:pPr>{KEEP}<w:spacing w:before="320" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr>'
           f"<w:rPr>{BOLD}</w:rPr>",
           based="Normal", nxt="Normal"),
    _style("paragraph", "Heading3", "heading 3",
           f'<w:pPr>{KEEP}<w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr>'
           f"<w:rPr>{BOLD}<w:i/><w:iCs/></w:rPr>",
           based="Normal", nxt="Normal"),
    _style("paragraph", "Beslutning", "Beslutning", '<w:pPr><w:spacing w:before="400"/></w:pPr>',
           based="Heading2", nxt="Normal"),
    # "Sagsnr.: 22/1234   Åben sag" under the title.
    _style("paragraph", "Sagsoplysninger", "Sagsoplysninger",
           '<w:pPr><w:tabs><w:tab w:val="left" w:pos="2835"/></w:tabs><w:spacing w:after="360"/></w:pPr>'
           f'<w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
           based="Normal", nxt="Normal"),
    # "Afbud:" and the like: a bold lead-in kept with what follows.
    _style("paragraph", "Etiket", "Etiket",
           f'<w:pPr><w:keepNext/><w:spacing w:after="60"/></w:pPr><w:rPr>{BOLD}</w:rPr>',
           based="Normal", nxt="Normal"),
    # Items sit close together; the list as a whole keeps normal spacing after it.
    _style("paragraph", "ListParagraph", "List Paragraph",
           '<w:pPr><w:spacing w:after="160"/><w:contextualSpacing/></w:pPr>', based="Normal"),
    _style("paragraph", "Quote", "Quote",
           f'<w:pPr><w:pBdr>{_border("left", 12, "B4B4B4", 8)}</w:pBdr>'
           '<w:spacing w:before="120" w:after="120"/><w:ind w:left="340" w:right="567"/></w:pPr>'
           '<w:rPr><w:i/><w:iCs/><w:color w:val="404040"/></w:rPr>',
           based="Normal", nxt="Normal"),
    _style("paragraph", "Tabeltekst", "Tabeltekst",
           '<w:pPr><w:spacing w:before="60" w:after="60" w:line="240" w:lineRule="auto"/></w:pPr>'
           '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>', based="Normal"),
    # Page furniture: small and grey, like the PDF.
    _style("paragraph", "Header", "header",
           f'<w:pPr><w:pBdr>{_border("bottom", 4, "969696", 3)}</w:pBdr><w:spacing w:after="0"/>'
           f'<w:jc w:val="right"/></w:pPr><w:rPr>{GREY_SMALL}</w:rPr>',
           based="Normal", qformat=False),
    _style("paragraph", "Footer", "footer",
           f'<w:pPr><w:spacing w:after="0"/><w:jc w:val="right"/></w:pPr><w:rPr>{GREY_SMALL}</w:rPr>',
           based="Normal", qformat=False),
    # Holds the watermark shape; a hairline paragraph so it takes no room.
    _style("paragraph", "Vandmaerke", "Vandmærke",
           '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
           '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>', based="Normal", qformat=False),
    _style("character", "Hyperlink", "Hyperlink",
           '<w:rPr><w:color w:val="1F4E8C"/><w:u w:val="single"/></w:rPr>',
           based="DefaultParagraphFont", qformat=False),
    # Thin grid, shaded bold header row.
    _style("table", "Sagstabel", "Sagstabel",
           f"<w:tblPr><w:tblBorders>{TABLE_BORDERS}</w:tblBorders>"
           '<w:tblCellMar><w:left w:w="113" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
           f'</w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr>{BOLD}</w:rPr>'
           '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EBEBEB"/></w:tcPr></w:tblStylePr>',
           based="TableNormal"),
]  # fmt: skip

STYLES = f"<w:styles {NS}>\n{DOC_DEFAULTS}\n" + "\n".join(STYLE_LIST) + "\n</w:styles>"


def _levels(ordered: bool) -> str:
    """Nine list levels; ordered lists count 1., 2. at every depth (as in HTML and PDF)."""
    bullets = ("•", "–", "•", "–", "•", "–", "•", "–", "•")
    out = []
    for lvl in range(9):
        left, hanging = 425 + 425 * lvl, 425
        fmt = "decimal" if ordered else "bullet"
        text = f"%{lvl + 1}." if ordered else bullets[lvl]
        out.append(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
            f"<w:rPr>{FONTS}</w:rPr></w:lvl>"
        )
    return "".join(out)


# abstractNum 0 is the numbered list, 1 the bulleted one; the writer adds one
# w:num per list in the case (with a startOverride), so every list restarts.
NUMBERING = f"""<w:numbering {NS}>
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>{_levels(True)}</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>{_levels(False)}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""

PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": PACKAGE_RELS,
    "docProps/app.xml": APP,
    "docProps/core.xml": CORE,
    "word/_rels/document.xml.rels": DOCUMENT_RELS,
    "word/document.xml": DOCUMENT,
    "word/footer1.xml": FOOTER,
    "word/header1.xml": HEADER,
    "word/numbering.xml": NUMBERING,
    "word/settings.xml": SETTINGS,
    "word/styles.xml": STYLES,
}


def build() -> bytes:
    """The template as bytes: fixed entry order and timestamps, so reruns are identical."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, (DECL + xml).encode("utf-8"))
    return buf.getvalue()


def main() -> int:
    data = build()
    if OUT.exists() and OUT.read_bytes() == data:
        print(f"{OUT.name} er uændret")
        return 0
    tmp = OUT.with_suffix(".docx.tmp")
    tmp.write_bytes(data)
    tmp.replace(OUT)
    print(f"skrev {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
