"""Machine drafts for the segments the memory lacks, from an OpenAI-compatible chat server.

    missing segments → one chat request each (system prompt + the glossary's English for every
    institution the segment names) → reply checked against those names (retried once with the
    violation pointed out) → units with ``origin: machine`` → merged into the memory file

The build never shows English that is not in the memory: a draft goes into
``translations/<stem>.zh-en.yaml`` first, where a translator reviews it in a diff (and changes
``origin`` to ``human``), and is rendered from there. Any server that speaks the
``/chat/completions`` protocol works (llama.cpp, vLLM, Ollama, LM Studio, OpenAI itself); only the
standard library is used to talk to it.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterable

from ..errors import EditionError
from ..fsutil import write_text_atomic
from ..model import Node
from .apply import names_entry
from .memory import Memory, Unit, load_memory, lookup_segment, memory_to_yaml, segment_to_unit
from .segments import Segment, document_to_segments

SYSTEM_PROMPT = (
    "You translate a Taiwanese government policy report (a civil servants' study-trip report) "
    "from Traditional Chinese (zh-Hant) into English for publication. Translate faithfully and "
    "completely: every clause, number, date, name and list marker; add nothing, omit nothing, no "
    "comments or explanations. Keep URLs, Latin-script names and abbreviations as written. Where "
    "the user gives the English name of an institution, use that name exactly. Reply with the "
    "English translation only."
)

# How a segment's kind is described to the model: headings and cells are not sentences.
KIND_HINTS = {
    "heading": "a section heading",
    "paragraph": "a paragraph",
    "list_item": "a list item",
    "caption": "a figure or table caption",
    "source": "a figure's source line (資料來源)",
    "figure-text": "text printed inside a figure",
    "cell": "a table cell",
    "footnote": "a footnote",
    "list-entry": "an entry of the list of figures, tables or contents",
    "metadata": "a field of the report's cover page",
}


def required_entries(seg: Segment, termbase) -> list:
    """The glossary entries the segment's Chinese names that have an English name to require."""
    if termbase is None:
        return []
    out = []
    for entry_id in seg.terms:
        entry = termbase.by_id.get(entry_id)
        if entry is not None and entry.en:
            out.append(entry)
    return out


def _wanted(entry) -> str:
    names = [repr(entry.en)] + [repr(a) for a in entry.abbr]
    return names[0] if len(names) == 1 else f"{names[0]} (or {' / '.join(names[1:])})"


def segment_to_messages(seg: Segment, entries: list) -> list[dict[str, str]]:
    """The chat messages asking for one segment's English."""
    lines = [f"Translate {KIND_HINTS.get(seg.kind, 'a text')} into English."]
    if entries:
        lines += ["", "Required English names (use them exactly; the abbreviation may stand after first use):"]
        for e in entries:
            abbr = f" (abbreviation: {', '.join(e.abbr)})" if e.abbr else ""
            lines.append(f"- {e.zh} → {e.en}{abbr}")
    lines += ["", "Chinese:", seg.zh]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def violation_message(missing: list) -> str:
    """What the retry tells the model: the names its English left out."""
    parts = [f"{e.zh} → {_wanted(e)}" for e in missing]
    return (
        "Your translation does not use the required English name(s): "
        + "; ".join(parts)
        + ". Translate the Chinese again, using these names exactly. Reply with the English only."
    )


def term_violations(en: str, entries: list) -> list:
    """The entries whose English name (or abbreviation) the English text lacks."""
    return [e for e in entries if not names_entry(en, e)]


_FENCE = re.compile(r"^```[A-Za-z]*\n(.*?)\n?```$", re.S)


def reply_to_text(content: str) -> str:
    """The English out of a reply: white space trimmed, a surrounding code fence removed."""
    text = content.strip()
    m = _FENCE.match(text)
    return m.group(1).strip() if m else text


def _endpoint(endpoint: str | None) -> str:
    if not endpoint:
        raise EditionError("--endpoint: no model server given — pass --endpoint URL (or set EDITION_MT_ENDPOINT) or use --backend memory")
    if not re.match(r"^https?://[^/\s]+", endpoint):
        raise EditionError(f"--endpoint {endpoint}: not an http(s) URL — e.g. http://127.0.0.1:8080/v1")
    return endpoint.rstrip("/")


def chat_completion(endpoint: str, model: str, messages: list[dict[str, str]], api_key: str | None = None, timeout: float = 60) -> str:
    """POST one chat request to ``{endpoint}/chat/completions``; the reply's text.

    Raises EditionError with one line on a refused connection, a timeout, an HTTP error or a
    reply that is not a chat completion.
    """
    base = _endpoint(endpoint)
    url = f"{base}/chat/completions"
    body = json.dumps({"model": model, "messages": messages, "temperature": 0}, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    # a model server on this machine must not be sent through an http_proxy from the environment
    local = urllib.parse.urlsplit(base).hostname in ("127.0.0.1", "localhost", "::1")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({})) if local else urllib.request.build_opener()
    try:
        with opener.open(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as err:
        detail = _error_detail(err)
        raise EditionError(f"{url}: HTTP {err.code} {err.reason}{detail} — check --endpoint and --model") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, ConnectionRefusedError):
            raise EditionError(f"{base}: connection refused — start the model server or use --backend memory") from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise EditionError(f"{base}: no reply within {timeout:g} s — is the model server overloaded? Try again or use --backend memory") from None
        raise EditionError(f"{base}: cannot connect ({reason}) — check --endpoint or use --backend memory") from None
    except (TimeoutError, socket.timeout):
        raise EditionError(f"{base}: no reply within {timeout:g} s — is the model server overloaded? Try again or use --backend memory") from None
    except (ConnectionError, OSError) as err:
        raise EditionError(f"{base}: connection failed ({err.strerror or err}) — check the model server or use --backend memory") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        content = data["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            raise TypeError("content is not text")
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError) as err:
        raise EditionError(f"{url}: the reply is not an OpenAI chat completion ({type(err).__name__}: {err}) — check --endpoint") from None
    return content


def _error_detail(err: urllib.error.HTTPError) -> str:
    """The server's own error message (OpenAI style ``{"error": {"message": …}}``), on one line."""
    try:
        data = json.loads(err.read().decode("utf-8"))
        msg = data.get("error", {}).get("message") if isinstance(data.get("error"), dict) else data.get("error")
    except Exception:  # the body is only a hint; any failure to read it leaves the status line
        return ""
    if not msg:
        return ""
    return f" ({' '.join(str(msg).split())[:200]})"


def translate_segment(seg: Segment, termbase, endpoint: str, model: str, api_key: str | None = None, timeout: float = 60) -> Unit | None:
    """One segment → a machine unit, term-checked (one retry); None if the server returned nothing."""
    entries = required_entries(seg, termbase)
    messages = segment_to_messages(seg, entries)
    en = reply_to_text(chat_completion(endpoint, model, messages, api_key, timeout))
    missing = term_violations(en, entries) if en else []
    if missing:
        retry = messages + [{"role": "assistant", "content": en}, {"role": "user", "content": violation_message(missing)}]
        second = reply_to_text(chat_completion(endpoint, model, retry, api_key, timeout))
        if second:
            en = second
            missing = term_violations(en, entries)
    if not en:
        return None  # stays untranslated: the QA report lists it
    note = None
    if missing:
        note = "term check failed: the English does not name " + "; ".join(f"{e.zh} ({_wanted(e)})" for e in missing)
    return segment_to_unit(seg, en, origin="machine", note=note)


def translate_segments(
    segments: Iterable[Segment], termbase, endpoint: str, model: str, api_key: str | None = None, timeout: float = 60
) -> list[Unit]:
    """Machine English for each segment, one request per distinct Chinese text.

    Every returned unit has ``origin="machine"``; a unit whose English still lacks a required
    glossary name after the retry carries ``note="term check failed: …"`` for the reviewer.
    A segment whose Chinese was already asked for reuses that answer (a caption and its entry in
    the list of figures). Raises EditionError (one line) when the server cannot be reached.
    """
    done: dict[tuple[str, tuple[str, ...]], Unit | None] = {}
    out: list[Unit] = []
    for seg in segments:
        ask = (seg.hash, seg.terms)
        if ask not in done:
            done[ask] = translate_segment(seg, termbase, endpoint, model, api_key, timeout)
        u = done[ask]
        if u is not None:
            out.append(Unit(seg.key, u.hash, seg.zh, u.en, u.origin, u.note))
    return out


def _sort_key(order: dict[str, int]):
    # a key with an "@hash" suffix (an alternative for the other source's Chinese) sorts with its key
    return lambda iu: (order.get(iu[1].key.partition("@")[0], len(order)), iu[0])


def add_to_memory(memory_path: str | Path, new_units: Iterable[Unit], order: list[str] | None = None) -> list[Unit]:
    """Merge units into a memory file, written atomically; returns the units written.

    Existing units are kept. A new unit replaces an existing one with the same key only when
    that one is a machine draft too: reviewed (human) English is never overwritten. With
    ``order`` (the document's segment keys in reading order) the units are sorted by it; keys
    the document does not have keep their relative order after the rest.
    """
    path = Path(memory_path)
    units: dict[str, Unit] = {u.key: u for u in load_memory(path).units}
    for u in new_units:
        cur = units.get(u.key)
        if cur is None or cur.origin != "human":
            units[u.key] = u
    merged = list(units.values())
    if order is not None:
        pos = {k: i for i, k in enumerate(order)}
        merged = [u for _, u in sorted(enumerate(merged), key=_sort_key(pos))]
    write_text_atomic(path, memory_to_yaml(merged))
    return merged


def missing_segments(doc: Node, memory: Memory) -> list[Segment]:
    """The document's segments for which the memory has no English at all (stale ones have some)."""
    by_key, by_hash = memory.by_key, memory.by_hash
    return [s for s in document_to_segments(doc) if lookup_segment(memory, s, by_key, by_hash)[1] == "missing"]


def translate_missing(
    doc: Node, memory: Memory, termbase, endpoint: str, model: str, api_key: str | None = None, timeout: float = 60
) -> Memory:
    """Draft the segments ``memory`` lacks, add them to its file, and return the memory re-read.

    Stale segments are left alone: their English needs a reviewer, not a new draft.
    """
    todo = missing_segments(doc, memory)
    if not todo:
        return memory
    units = translate_segments(todo, termbase, endpoint, model, api_key, timeout)
    if not units:
        return memory
    add_to_memory(memory.path, units, order=[s.key for s in document_to_segments(doc)])
    return load_memory(memory.path)

