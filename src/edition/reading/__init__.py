"""Reading: a source → its records (page → printed lines, pictures, tables, furniture).

    raw.py      what a page reader hands on: printed lines, tables, pictures of one page
    layout.py   the pages together: body type, margins, furniture, footnotes, columns, blocks
    flow.py     where a paragraph goes on, from the layout
    text.py     the text export's lines, tables and footnotes (the same records)
    sniff.py    what a file that is no source is, for the error message

What comes out (:class:`edition.model.SourceDoc`) is all the structure stage (``extract/``)
sees: records → document.
"""
