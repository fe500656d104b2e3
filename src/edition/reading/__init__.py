"""Reading: a source → its records (page → printed lines, pictures, tables, furniture).

    pdfium.py   the one place a PDF is opened: every page's characters, paths, pictures, links
    pdf.py      the pages read (in worker processes where there are cores to spare) and laid out
    pages.py    one page's characters and shapes → printed lines, tables, pictures, drawings
    tables.py   ruled tables (pdfplumber's table finder on the page's edges), three-line tables
    chars.py    characters → printed lines: word spaces, footnote marks, runs of type
    raw.py      what a page hands on: printed lines, tables, pictures of one page
    layout.py   the pages together: body type, margins, furniture, footnotes, columns, blocks
    flow.py     where a paragraph goes on, from the layout
    text.py     the text export's lines, tables and footnotes (the same records)
    sniff.py    what a file that is no source is, for the error message

What comes out (:class:`edition.model.SourceDoc`) is all the structure stage (``extract/``)
sees: records → document.
"""
