"""Writes src/edition/schema/document.schema.json. Run by hand after changing the model; the JSON is committed.

Kept as Python so the repeated provenance / normalisation fields are written once.
"""
import json
from pathlib import Path

D = lambda desc, **kw: {"description": desc, **kw}  # noqa: E731
STR = lambda desc: D(desc, type="string")  # noqa: E731
NSTR = lambda desc: D(desc, type=["string", "null"])  # noqa: E731
INT = lambda desc: D(desc, type="integer")  # noqa: E731
NINT = lambda desc: D(desc, type=["integer", "null"])  # noqa: E731

PROV = {
    "page": INT("1-based physical page of the PDF where the node starts (PDF sources)."),
    "pages": D("Every physical page the node spans, when more than one.", type="array", items={"type": "integer"}),
    "bbox": D("[x0, top, x1, bottom] in PDF points on `page` (PDF sources).", type="array", items={"type": "number"}, minItems=4, maxItems=4),
    "line": INT("1-based line number in the text export where the node starts (text sources)."),
}
CLEAN = {
    "original": D("The field values as printed, for every field the normaliser changed (nothing is lost).", type="object", additionalProperties={"type": "string"}),
    "edits": D("Every normalisation change, offsets into the original field value.", type="array", items={"$ref": "#/$defs/edit"}),
    "terms": D("Glossary mentions found in this node's text fields.", type="array", items={"$ref": "#/$defs/mention"}),
    "translation": D("State of this node's translation segments, by segment key: translated (reviewed English), draft (a machine draft awaiting review), stale (English written for Chinese that has changed since), missing (no English yet).", type="object", additionalProperties={"enum": ["translated", "draft", "stale", "missing"]}),
    "translator_notes": D("Translator's notes for the reader, by segment key, lifted out of the English (the memory keeps them inline as [Translator's note: …]).", type="object", additionalProperties={
        "type": "array", "items": {"type": "object", "required": ["at", "text"], "additionalProperties": False, "properties": {
            "at": D("Where the note stood: an offset into the segment's English.", type="integer", minimum=0),
            "text": STR("The note."),
        }}}),
}
EN_STR = {"en": D("English translation from the translation memory (null: not yet translated — see `translation`).", type=["string", "null"])}

BLOCK_TYPES = ("section", "front_matter", "paragraph", "list", "figure", "table", "footnote")


def node(type_, desc, props, required, en=EN_STR):
    p = {"type": D("Node type.", const=type_), "id": STR("Stable id: the same source gives the same id.")}
    p.update(props)
    p.update(PROV)
    p.update(CLEAN)
    p.update(en)
    return {"description": desc, "type": "object", "properties": p, "required": ["type", "id", *required], "additionalProperties": False}


schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.invalid/edition/document.schema.json",
    "title": "Edition document",
    "description": "A Chinese government report as a structured, bilingual document: the single source of truth for the document's shape, used by `edition validate`, by the tests and at write time.",
    "type": "object",
    "required": ["schema_version", "source", "metadata", "blocks", "qa"],
    "additionalProperties": False,
    "properties": {
        "schema_version": STR("Version of this schema the document follows."),
        "source": {
            "description": "The file the document was extracted from.",
            "type": "object",
            "required": ["path", "sha256", "format", "pages"],
            "additionalProperties": False,
            "properties": {
                "path": STR("File name of the source document."),
                "sha256": D("SHA-256 of the source file's bytes.", type="string", pattern="^[0-9a-f]{64}$"),
                "format": D("Which reader produced the document.", enum=["pdf", "text"]),
                "pages": NINT("Number of physical pages (PDF); null for a text export."),
                "printed_pages": D("Physical page (as a string key) → page number printed on it.", type="object", additionalProperties={"type": "string"}),
                "script": D("Set for a source written in Simplified Chinese, whose text the glossary stage converts to Taiwan Traditional (every change an edit).", enum=["zh-Hans"]),
            },
        },
        "metadata": {"$ref": "#/$defs/metadata"},
        "blocks": D("Top-level nodes in reading order: front matter, then chapters (sections of level 1).", type="array", items={"$ref": "#/$defs/block"}),
        "furniture": D("Page furniture removed from the reading text and kept on record: page numbers, running headers/footers, duplicate chars.", type="array", items={"$ref": "#/$defs/furniture"}),
        "qa": D("Findings: where the report's own lists disagree with the body, numbering gaps, translation gaps, term-consistency violations.", type="array", items={"$ref": "#/$defs/finding"}),
        "glossary": D("Glossary entries mentioned in the document (id → zh, en, abbr), for the appendix.", type="array", items={"type": "object"}),
        "stats": D("Counts about the build: segments and segments_<state> for each translation state, term findings, mentions, normalisation changes by kind.", type="object"),
    },
    "$defs": {
        "edit": {
            "description": "One normalisation change.",
            "type": "object",
            "required": ["field", "start", "end", "original", "replacement", "kind"],
            "additionalProperties": False,
            "properties": {
                "field": STR("Which field of the node (text, heading, caption, source, title …)."),
                "start": INT("Start offset in the original field value."),
                "end": INT("End offset (exclusive) in the original field value."),
                "original": STR("The characters as printed."),
                "replacement": STR("What they became."),
                "kind": D("Why: a Simplified leak, a Japanese shinjitai form in Chinese prose, or an institution variant unified to its canonical name.", enum=["simplified", "shinjitai", "variant"]),
            },
        },
        "mention": {
            "description": "A glossary entry mentioned in a node.",
            "type": "object",
            "required": ["id", "field", "start", "end", "form"],
            "additionalProperties": False,
            "properties": {
                "id": STR("Glossary entry id."),
                "field": STR("Which field the mention is in (for a table cell: the cell's text)."),
                "start": INT("Start offset in the normalised field value."),
                "end": INT("End offset (exclusive)."),
                "form": STR("The form as it stands in the text."),
            },
        },
        "furniture": {
            "description": "A piece of page furniture.",
            "type": "object",
            "required": ["kind", "text"],
            "additionalProperties": False,
            "properties": {
                "kind": D("What it was (rotated-text: characters set rotated on the page; off-page-text: characters placed outside it).",
                          enum=["page-number", "running-header", "running-footer", "image-placeholder", "duplicate-char",
                                "background", "repeated-picture", "rotated-text", "off-page-text"]),
                "text": STR("Its text as printed."),
                "page": INT("Physical page."),
                "line": INT("Text-export line."),
            },
        },
        "finding": {
            "description": "A QA finding.",
            "type": "object",
            "required": ["kind", "message"],
            "properties": {
                "kind": D("What kind of finding.", enum=[
                    "figure-renumbered", "figure-missing", "figure-unlisted", "figure-uncaptioned",
                    "table-renumbered", "table-missing", "table-unlisted", "section-gap", "toc-page-mismatch", "toc-entry-unmatched",
                    "figure-page-mismatch", "table-page-mismatch",
                    "no-sections", "text-in-cover", "text-in-front-matter", "body-outside-sections",
                    "figure-without-picture", "merged-line", "heading-split", "paragraph-guess", "furniture-removed",
                    "body-in-figures", "contents-unread", "unreadable-text", "unreadable-page", "no-body",
                    "missing-translation", "draft-translation", "stale-translation", "memory-missing", "term-inconsistent"]),
                "message": STR("One line for a person."),
                "id": STR("The node concerned, if any."),
                "number": D("The number in the report's own list.", type=["integer", "string", "null"]),
                "printed_number": D("The number printed in the body.", type=["integer", "string", "null"]),
                "key": STR("Translation segment key, for translation findings."),
                "term": STR("Glossary entry id, for term findings."),
                "zh": STR("The segment's Chinese now, for a stale translation."),
                "zh_old": STR("The Chinese the English was written for, for a stale translation."),
            },
        },
        "metadata": {
            "description": "The cover page: as printed, plus parsed fields and ISO dates (民國 year + 1911).",
            "type": "object",
            "required": ["cover_lines"],
            "additionalProperties": False,
            "properties": {
                "cover_lines": D("Every cover line as printed, in order.", type="array", items={"type": "string"}),
                "provenance": D("Where each cover line is.", type="array", items={"type": "object"}),
                "title": STR("Report title, layout spaces removed."),
                "title_printed": STR("Report title as printed."),
                "report_kind": STR("Kind of report, e.g. 出國報告."),
                "trip_category": STR("出國類別, e.g. 考察."),
                "agency": STR("服務機關: the authors' agency."),
                "authors": D("姓名職稱: authors with their job titles.", type="array", items={
                    "type": "object", "required": ["name", "title", "printed"], "additionalProperties": False,
                    "properties": {"name": STR("Name."), "title": STR("Job title as printed ('' if none)."), "printed": STR("As printed."), "en": NSTR("English."), "translation": CLEAN["translation"], "translator_notes": CLEAN["translator_notes"]}}),
                "country": STR("派赴國家: country visited."),
                "travel_period": D("出國期間.", type="object", properties={"printed": STR("As printed."), "start": D("ISO date.", type="string", format="date"), "end": D("ISO date.", type="string", format="date")}, required=["printed"]),
                "report_date": D("報告日期.", type="object", properties={"printed": STR("As printed."), "date": D("ISO date.", type="string", format="date")}, required=["printed"]),
                "en": D("English of the translatable cover fields (field → English).", type="object", additionalProperties={"type": ["string", "null"]}),
                "original": CLEAN["original"], "edits": CLEAN["edits"], "terms": CLEAN["terms"], "translation": CLEAN["translation"], "translator_notes": CLEAN["translator_notes"],
            },
        },
        # Dispatch on `type` (if/then), not oneOf: oneOf tries every branch on every node, at every
        # depth of the tree, which doubled the time to validate the report; and its error for a bad
        # node lists all seven branches' failures instead of the one that applies.
        "block": {
            "description": "Any block node; its `type` says which.",
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": list(BLOCK_TYPES)}},
            "allOf": [
                {"if": {"required": ["type"], "properties": {"type": {"const": k}}}, "then": {"$ref": f"#/$defs/{k}"}}
                for k in BLOCK_TYPES
            ],
        },
        "section": node("section", "A division of the body, numbered (第X章, 壹、, 1.1, (一), a. …) or known by its type alone; levels are inferred per document from the order its styles appear in.", {
            "level": D("Depth: 1 = the document's top division.", type="integer", minimum=1),
            "style": D("Numbering style of the marker; 'unnumbered' for a heading known by its type.", enum=[
                "chapter", "formal", "cn", "paren-cn", "arabic", "paren-arabic", "decimal", "circled",
                "roman", "letter", "paren-letter", "unnumbered"]),
            "heading": STR("The heading as printed, marker included, e.g. '第一章 前言'."),
            "number": STR("The marker as printed, e.g. '第一章', '壹、', '(一)', '2.1.3' ('' when unnumbered)."),
            "value": D("The marker's number (參 → 3, 2.1.3 → 3); null when unnumbered.", type=["integer", "null"]),
            "title": STR("The heading without its marker."),
            "children": D("Nodes inside the section, in reading order.", type="array", items={"$ref": "#/$defs/block"}),
        }, ["level", "style", "heading", "number", "value", "title", "children"]),
        "front_matter": node("front_matter", "Front matter recognised as such, not as a chapter: 摘要, 目錄, 圖次, 表次, 誌謝, 序, 聲明.", {
            "kind": D("Which front matter.", enum=["abstract", "contents", "figures", "tables", "acknowledgements", "preface", "declaration", "other"]),
            "heading": STR("Heading as printed."),
            "children": D("Body of the front matter (the abstract's text).", type="array", items={"$ref": "#/$defs/block"}),
            "entries": D("The report's own list entries (contents / figures / tables).", type="array", items={"$ref": "#/$defs/entry"}),
        }, ["kind", "heading", "children"]),
        "entry": {
            "description": "One entry of the report's contents, figure or table list.",
            "type": "object",
            "required": ["text", "title", "page"],
            "properties": {
                "text": STR("The entry as printed (leaders and page number included)."),
                "title": STR("The entry without leaders and page number."),
                "page": D("The page number the list gives (printed page): an integer, or a chapter's page as printed (\"2-5\").",
                          type=["integer", "string", "null"]),
                "number": D("Figure/table number (int) or section marker (string).", type=["integer", "string"]),
                "caption": STR("Title without the number."),
                "style": STR("Numbering style, for contents entries."),
                "resolved_page": NSTR("Printed page where the heading really is (PDF)."),
                "provenance": D("Where the entry is printed.", type="object"),
                "en": NSTR("English of the entry's title."),
                "original": CLEAN["original"], "edits": CLEAN["edits"], "terms": CLEAN["terms"], "translation": CLEAN["translation"], "translator_notes": CLEAN["translator_notes"],
            },
        },
        "paragraph": node("paragraph", "A paragraph, joined again where a page break or a figure split it.", {
            "text": STR("The paragraph's text (normalised; see `original`)."),
            "role": D("Set when a caption-like or label-like line stands in the prose.", type="string"),
            "footnote_refs": D("Footnote marks in the text.", type="array", items={"$ref": "#/$defs/footnote_ref"}),
        }, ["text"]),
        "footnote_ref": {
            "description": "A footnote reference mark, taken out of the text and linked.",
            "type": "object", "required": ["mark", "offset", "footnote"], "additionalProperties": False,
            "properties": {"mark": STR("The mark ('1')."), "offset": INT("Where the mark stood in the text."), "footnote": NSTR("Id of the footnote node.")},
        },
        "list": node("list", "A list: consecutive list items.", {
            "items": D("The items in order.", type="array", items={"$ref": "#/$defs/list_item"}, minItems=1),
        }, ["items"], en={}),
        "list_item": node("list_item", "One list item.", {
            "text": STR("The item's text, marker included as printed."),
            "marker": STR("Numbering marker, when the item has one."),
            "depth": D("Nesting depth (0 = top).", type="integer", minimum=0),
            "footnote_refs": D("Footnote marks in the text.", type="array", items={"$ref": "#/$defs/footnote_ref"}),
        }, ["text", "depth"]),
        "figure": node("figure", "A figure: picture(s), caption, 資料來源 line, the words printed inside it.", {
            "number": D("The figure's number, resolved against the report's list of figures by title (an integer, or as printed: '2.1', '1-1').", type=["integer", "string", "null"]),
            "printed_number": D("The number printed with the caption.", type=["integer", "string", "null"]),
            "label": NSTR("The caption line as printed, number included."),
            "caption": NSTR("The caption without its number (null: a picture with no caption)."),
            "source": NSTR("The 資料來源 line as printed."),
            "source_provenance": D("Where the source line is.", type="object"),
            "figure_text": D("Words printed inside the figure (labels, Japanese headings), kept out of the prose.", type="array", items={"type": "string"}),
            "content": D("What the figure is made of: images, or tables drawn as a picture.", type="array", items={"type": "object"}),
            "list_entry": D("The matching entry of the list of figures.", type=["object", "null"]),
        }, ["number", "printed_number", "caption", "source", "figure_text"], en={"en": D("English: caption, source, figure_text.", type="object")}),
        "table": node("table", "A table (ruled, borderless, or printed as a picture), one node even where it runs over a page break or is continued under a 續表 caption.", {
            "number": D("Table number (an integer, or as printed: '2.1').", type=["integer", "string", "null"]),
            "label": NSTR("The caption line as printed."),
            "caption": NSTR("Caption without the number."),
            "caption_provenance": D("Where the caption is.", type="object"),
            "continued_labels": D("續表 captions of the pages the table continues on.", type="array", items={"type": "string"}),
            "ruled": D("False for a borderless (three-line) table, its columns read from the text.", type="boolean"),
            "source": NSTR("The 資料來源 line as printed."),
            "source_provenance": D("Where the source line is.", type="object"),
            "content": D("A table printed as a picture: the picture(s).", type="array", items={"type": "object"}),
            "figure_text": D("Words printed inside a table picture.", type="array", items={"type": "string"}),
            "rows": D("Rows of cells; a cell covered by a merged neighbour says so.", type="array", items={"type": "array", "items": {"$ref": "#/$defs/cell"}}),
            "list_entry": D("The matching entry of the list of tables.", type=["object", "null"]),
        }, ["number", "caption", "rows"], en={"en": D("English: caption.", type="object")}),
        "cell": {
            "description": "A table cell: text, or a marker that a merged neighbour covers it.",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "text": STR("Cell text (the export's <u> tags become `markup`)."),
                "merged": D("Covered by the cell above or to the left.", enum=["up", "left"]),
                "markup": D("Inline markup spans.", type="array", items={"type": "object", "required": ["start", "end", "tag"], "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}, "tag": {"type": "string"}}}),
                "en": NSTR("English of the cell."),
                "original": CLEAN["original"], "edits": CLEAN["edits"], "terms": CLEAN["terms"], "translation": CLEAN["translation"], "translator_notes": CLEAN["translator_notes"],
            },
            "oneOf": [{"required": ["text"]}, {"required": ["merged"]}],
        },
        "footnote": node("footnote", "A footnote from the page foot, linked from the paragraph that holds its mark.", {
            "mark": STR("The footnote mark ('1')."),
            "text": STR("Footnote text."),
            "ref": NSTR("Id of the node that holds the mark."),
        }, ["mark", "text", "ref"]),
    },
}
out = Path(__file__).resolve().parents[1] / "src/edition/schema/document.schema.json"
out.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(out)
