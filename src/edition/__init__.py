"""edition: a Chinese government report → a clean, structured, bilingual (zh-Hant / en) edition.

Data flow (the stage order lives in :mod:`edition.pipeline`)::

    source (PDF | text export)
      → reading.pdf / reading.text      pages → Line records (text + typography + provenance)
      → extract.structure               lines → blocks → nested sections, figures, tables, footnotes
      → extract.lists                   the report's own contents / figure / table lists, reconciled → qa
      → glossary.normalise / match      safe zh-Hant normalisation, institution mentions
      → translate.memory                English from the translation memory (stale / missing → qa)
      → render.json / render.markdown   schema-validated JSON, bilingual Markdown
"""

__version__ = "0.1.0"
