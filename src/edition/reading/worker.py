"""A page worker: a fresh interpreter (``python -m edition.reading.worker``) that reads the pages
it is given and sends each batch back as soon as it is read.

Its own process, not a copy of the parent: it holds only what reading needs (not the parent's
glossary, schemas or records), it never re-imports the caller's script (a user's script
without a ``__main__`` guard), and if PDFium dies on a broken page only the worker dies — the
parent says which page.

Protocol (pickle over the pipes): the parent writes ``(path, password, settings, batches)`` to
stdin; the worker writes ``("pages", [PageRecord, …])`` per batch, then ``("done", None)``; a
file problem is ``("refused", message)``, a bug of ours ``("bug", traceback)``.
"""

from __future__ import annotations

import pickle
import sys
import traceback


def serve(stdin, stdout) -> int:
    from ..errors import SourceError
    from .pdf import REOPEN_EVERY, read_page
    from .pdfium import Document

    path, password, settings, batches = pickle.load(stdin)
    doc = None
    done = 0
    try:
        for batch in batches:
            if doc is None or done >= REOPEN_EVERY:
                if doc is not None:
                    doc.close()
                doc, done = Document(path, password), 0
            records = [read_page(doc, i, settings) for i in batch]
            done += len(batch)
            pickle.dump(("pages", records), stdout, protocol=pickle.HIGHEST_PROTOCOL)
            stdout.flush()
        pickle.dump(("done", None), stdout)
    except SourceError as err:
        pickle.dump(("refused", str(err)), stdout)
    except Exception:  # noqa: BLE001 — our bug: the parent raises it with this traceback
        pickle.dump(("bug", traceback.format_exc()), stdout)
    finally:
        if doc is not None:
            doc.close()
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.stdin.buffer, sys.stdout.buffer))
