"""Machine drafts for the segments the memory lacks, from an OpenAI-compatible chat server.

    missing segments → one chat request each (system prompt + the glossary's English for every
    institution the segment names) → reply checked against those names (asked again once with
    the violation pointed out; the answer that names more of them is kept) → a unit with
    ``origin: machine`` → saved into the memory file in batches, by read–merge–write

The build never shows English that is not in the memory: a draft goes into
``translations/<stem>.zh-en.yaml`` first, where it is rendered marked as a draft until a
translator reviews it and runs ``edition memory accept``. Drafts are saved as they arrive, a
batch at a time (every few seconds), so an interrupted run keeps what it got and a rerun asks
only for the rest. Each save reads the file again and fills only segments that still have no
English: a translator may work in the memory file while drafting runs. A failed request is
tried again a few times, waiting longer each time (1, 2, 4 s); then drafting stops cleanly
with one line saying why and how far it got. Any server that speaks the ``/chat/completions``
protocol works (llama.cpp, vLLM, Ollama, LM Studio, OpenAI itself); only the standard library
is used to talk to it.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import EditionError
from ..model import Node
from .apply import names_entry
from .memory import Memory, Unit, lookup_segment, merge_drafts, merge_units, segment_to_unit, update_memory
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


class RequestFailed(EditionError):
    """One chat request failed. ``retriable``: trying again may help (no connection, a timeout,
    a 5xx or 429 answer, a garbled reply); a 4xx answer (wrong model, wrong URL, no key) will
    not change by asking again."""

    def __init__(self, what: str, fix: str, retriable: bool):
        super().__init__(f"{what} — {fix}")
        self.what, self.fix, self.retriable = what, fix, retriable


def chat_completion(endpoint: str, model: str, messages: list[dict[str, str]], api_key: str | None = None, timeout: float = 60) -> str:
    """POST one chat request to ``{endpoint}/chat/completions``; the reply's text.

    Raises RequestFailed with one line on a refused connection, a timeout, an HTTP error or a
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
    slow = (f"{base}: no reply within {timeout:g} s", "is the model server overloaded? Raise --timeout or use --backend memory")
    try:
        with opener.open(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as err:
        detail = _error_detail(err)
        retriable = err.code >= 500 or err.code in (408, 429)
        fix = "check the model server" if retriable else "check --endpoint and --model"
        raise RequestFailed(f"{url}: HTTP {err.code} {err.reason}{detail}", fix, retriable) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, ConnectionRefusedError):
            raise RequestFailed(f"{base}: connection refused", "start the model server or use --backend memory", True) from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise RequestFailed(*slow, True) from None
        raise RequestFailed(f"{base}: cannot connect ({reason})", "check --endpoint or use --backend memory", True) from None
    except (TimeoutError, socket.timeout):
        raise RequestFailed(*slow, True) from None
    except (ConnectionError, OSError) as err:
        raise RequestFailed(f"{base}: connection failed ({err.strerror or err})", "check the model server or use --backend memory", True) from None
    try:
        data = json.loads(raw.decode("utf-8"))
        choice = data["choices"][0]
        message = choice["message"]
        content = message.get("content")
        refusal = message.get("refusal")
        if not isinstance(content, (str, type(None))) or not isinstance(refusal, (str, type(None))):
            raise TypeError("content is not text")
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise RequestFailed(f"{url}: the reply is not an OpenAI chat completion ({type(err).__name__}: {err})", "check --endpoint", True) from None
    # The server answered, but with nothing usable for this segment: the segment fails, drafting goes on.
    if refusal and refusal.strip():
        raise SegmentFailed(f"the model refused ({' '.join(refusal.split())[:120]})")
    if choice.get("finish_reason") == "content_filter":
        raise SegmentFailed("the server's content filter withheld the reply")
    if choice.get("finish_reason") == "length":
        # a translation cut off midway would pass for a whole one in review
        raise SegmentFailed("the reply was cut off (finish_reason: length) — raise the server's output token limit")
    if not (content or "").strip():
        raise SegmentFailed("the reply was empty")
    return content


# Waiting between attempts; a module attribute so that tests can record the waits instead.
wait = time.sleep


@dataclass(frozen=True)
class DraftClient:
    """How to reach the model server: a request is tried ``1 + retries`` times, waiting
    ``backoff``, 2×, 4× … seconds between attempts, each attempt at most ``timeout`` seconds."""

    endpoint: str
    model: str = "local"
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60
    retries: int = 3
    backoff: float = 1.0

    def ask(self, messages: list[dict[str, str]]) -> str:
        """The reply's text; RequestFailed (saying how many attempts) once the retries are spent."""
        for attempt in range(self.retries + 1):
            try:
                return chat_completion(self.endpoint, self.model, messages, self.api_key, self.timeout)
            except RequestFailed as err:
                if not err.retriable or attempt == self.retries:
                    if attempt == 0:
                        raise
                    raise RequestFailed(f"{err.what} ({attempt + 1} attempts)", err.fix, err.retriable) from None
                wait(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


class DraftingStopped(EditionError):
    """The server stopped answering: drafting ended early; what it got is saved."""


class SegmentFailed(EditionError):
    """The server answered one segment with nothing usable: an empty reply, a refusal, a reply
    cut off. That segment stays missing (a rerun asks again); drafting goes on with the others."""


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


def _fewer_missing(first: tuple[str, list], second: tuple[str, list]) -> tuple[str, list]:
    """Of two answers, the one whose English names more of the required names; the first on a tie."""
    if not second[0]:
        return first
    if not first[0] or len(second[1]) < len(first[1]):
        return second
    return first


def translate_segment(seg: Segment, termbase, client: DraftClient) -> Unit:
    """One segment → a machine unit, term-checked (asked again once if it lacks a required name;
    the answer naming more of them is kept). Raises SegmentFailed when the server's reply is
    empty, a refusal or cut off, RequestFailed when the server cannot be reached."""
    entries = required_entries(seg, termbase)
    messages = segment_to_messages(seg, entries)
    first = reply_to_text(client.ask(messages))
    if not first:
        raise SegmentFailed("the reply was empty")
    en, missing = first, term_violations(first, entries)
    if missing:
        retry = messages + [{"role": "assistant", "content": first}, {"role": "user", "content": violation_message(missing)}]
        try:
            second = reply_to_text(client.ask(retry))
        except SegmentFailed:
            second = ""  # the first answer stands
        en, missing = _fewer_missing((first, missing), (second, term_violations(second, entries) if second else []))
    note = None
    if missing:
        note = "term check failed: the English does not name " + "; ".join(f"{e.zh} ({_wanted(e)})" for e in missing)
    return segment_to_unit(seg, en, origin="machine", note=note, model=client.model or None)


Answer = tuple[list[Segment], list[Unit], str | None]


def translate_segments(segments: Iterable[Segment], termbase, client: DraftClient, concurrency: int = 1) -> Iterator[Answer]:
    """Machine English for each segment, one request per distinct Chinese text, up to
    ``concurrency`` requests in flight, yielded as the answers arrive: (the segments that asked
    for that Chinese, their units, None) — or (segments, [], why) when the server answered
    with nothing usable (see :class:`SegmentFailed`).

    Every unit has ``origin="machine"`` and the client's model; a unit whose English still lacks
    a required glossary name after the second try carries ``note="term check failed: …"`` for the
    reviewer. A segment whose Chinese was already asked for reuses that answer (a caption and
    its entry in the list of figures). Raises RequestFailed (one line) when the server cannot be
    reached — after the requests already in flight have been answered and yielded.
    """
    groups: dict[tuple[str, tuple[str, ...]], list[Segment]] = {}
    for seg in segments:
        groups.setdefault((seg.hash, seg.terms), []).append(seg)

    def one(segs: list[Segment]) -> Answer:
        try:
            u = translate_segment(segs[0], termbase, client)
        except SegmentFailed as err:
            return segs, [], str(err)
        return segs, [replace(u, key=s.key, zh=s.zh) for s in segs], None

    if concurrency <= 1:
        for segs in groups.values():
            yield one(segs)
        return
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor
    from concurrent.futures import wait as first_done

    todo = iter(groups.values())
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="draft")
    running: set = set()
    stop: RequestFailed | None = None

    def submit() -> None:
        segs = next(todo, None)
        if segs is not None:
            running.add(pool.submit(one, segs))

    try:
        for _ in range(concurrency):
            submit()
        while running:
            done, _ = first_done(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                try:
                    answer = future.result()
                except RequestFailed as err:
                    stop = stop or err  # no new requests; the ones in flight still count
                    continue
                if stop is None:
                    submit()
                yield answer
        if stop is not None:
            raise stop
    finally:
        pool.shutdown(wait=stop is None and not running, cancel_futures=True)


def add_to_memory(memory_path: str | Path, new_units: Iterable[Unit], order: list[str] | None = None) -> list[Unit]:
    """Merge units into a memory file (see :func:`merge_units`) by read–merge–write (see
    :func:`update_memory`); returns the units written."""
    new = list(new_units)

    def change(memory: Memory):
        merged = merge_units(list(memory.units), new, order)
        return merged, merged

    return update_memory(memory_path, change)


def missing_segments(doc: Node, memory: Memory) -> list[Segment]:
    """The document's segments for which the memory has no English at all (stale ones have some)."""
    by_key, by_hash = memory.by_key, memory.by_hash
    return [s for s in document_to_segments(doc) if lookup_segment(memory, s, by_key, by_hash)[1] == "missing"]


@dataclass(frozen=True)
class DraftReport:
    """What one document's drafting did: segments that lacked English, how many got a draft
    saved, how many drafts were not saved because a person had written the English meanwhile,
    and the segments the server answered with nothing usable ((key, why), left missing)."""

    memory: Path
    missing: int
    drafted: int
    kept: int = 0
    failed: tuple[tuple[str, str], ...] = ()


# Drafts are saved in batches, not one rewrite of the memory per answer: after this many
# answers, or this many seconds after the last save, whichever comes first (and at the end).
SAVE_EVERY = 20
SAVE_SECONDS = 2.0


class _DraftSaver:
    """Pending drafts of one memory file, saved by read–merge–write (see :func:`merge_drafts`)."""

    def __init__(self, path: Path, order: list[str]):
        self.path, self.order = path, order
        self.pending: list[Unit] = []
        self.saved = self.kept = 0
        self.last = time.monotonic()
        self.error: EditionError | None = None

    def add(self, units: list[Unit]) -> None:
        self.pending.extend(units)
        if len(self.pending) >= SAVE_EVERY or time.monotonic() - self.last >= SAVE_SECONDS:
            self.save(final=False)

    def save(self, final: bool = True) -> None:
        if not self.pending:
            return
        batch = list(self.pending)

        def change(memory: Memory):
            merged, dropped = merge_drafts(list(memory.units), batch, self.order)
            return (merged if len(dropped) < len(batch) else None), dropped

        try:
            dropped = update_memory(self.path, change)
        except EditionError as err:
            # the person's file does not read right now (half-typed YAML): it is not overwritten;
            # the drafts wait for the next save, and the last one says why it could not be done
            self.error = err
            if final:
                raise EditionError(f"{err} ({len(batch)} draft(s) could not be saved: run the same command again once the file reads)") from None
            return
        self.error = None
        self.pending = []
        self.kept += len(dropped)
        self.saved += len(batch) - len(dropped)
        self.last = time.monotonic()


def draft_missing(
    doc: Node, memory: Memory, termbase, client: DraftClient,
    progress_for: Callable[[str, int], Callable[[int, int], None] | None] | None = None, label: str = "",
    concurrency: int = 1,
) -> DraftReport:
    """Draft the segments ``memory`` lacks, ``concurrency`` requests at a time, and save the
    drafts into its file in batches.

    Each save reads the file again and merges (see :func:`merge_drafts`): English a person
    writes into the file while drafting runs is kept, never replaced by a draft. Stale segments
    are left alone: their English needs a reviewer, not a new draft. A segment the server
    answers with nothing usable is counted as failed and left missing. ``progress_for(label,
    total)`` may return a callback, called after each answer with (segments drafted, segments
    failed). When the server stops answering (after its retries), raises DraftingStopped with
    one line: why, how many were drafted and saved, and that a rerun continues.
    """
    todo = missing_segments(doc, memory)
    path = Path(memory.path)
    if not todo:
        return DraftReport(path, 0, 0)
    saver = _DraftSaver(path, [s.key for s in document_to_segments(doc)])
    progress = progress_for(label, len(todo)) if progress_for else None
    answered = 0
    failed: list[tuple[str, str]] = []
    try:
        for segs, new, why in translate_segments(todo, termbase, client, concurrency):
            if new:
                answered += len(new)
                saver.add(new)
            else:
                failed += [(s.key, why or "no answer") for s in segs]
            if progress:
                progress(answered, len(failed))
    except RequestFailed as err:
        saver.save()
        if not saver.saved:
            raise DraftingStopped(str(err)) from None
        raise DraftingStopped(
            f"{err.what}; drafting stopped after {saver.saved} of {len(todo)} segment(s), saved in {path}"
            f" — {err.fix}, then run the same command again to draft the rest"
        ) from None
    except BaseException:
        saver.save()  # Ctrl-C: what was drafted is kept
        raise
    saver.save()
    return DraftReport(path, len(todo), saver.saved, saver.kept, tuple(failed))
