"""The OpenAI-compatible backend, against a small chat-completions server run by the tests
(tests/chatserver.py): what is asked, retries and waits, a server failing midway, timeouts,
drafts saved as they arrive."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from chatserver import ChatServer, chinese_of, required_names, stand_in_english, user_text
from conftest import GLOSSARY, TINY_EXPORT
from edition.cli import main
from edition.errors import EditionError
from edition.glossary.termbase import load_termbase
from edition.translate import backends
from edition.translate.backends import DraftClient, add_to_memory, draft_missing, translate_segments
from edition.translate.memory import Unit, load_memory
from edition.translate.segments import Segment, zh_hash

AIST_EN = "National Institute of Advanced Industrial Science and Technology"


@pytest.fixture(autouse=True)
def waits(monkeypatch) -> list[float]:
    """The waits between attempts, recorded instead of slept."""
    seen: list[float] = []
    monkeypatch.setattr(backends, "wait", seen.append)
    return seen


def drafted(segments, termbase, client) -> list[Unit]:
    return [u for _, units, _ in translate_segments(segments, termbase, client) for u in units]


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(GLOSSARY)


@pytest.fixture
def closed_port() -> int:
    """A port nobody listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


AIST_SEGMENT = Segment("ch1.formal1/p1#text", "本次考察拜會產業技術總合研究所。", "paragraph", ("aist",))


def test_reply_naming_the_glossary_entry_is_stored_as_a_machine_unit(termbase, tmp_path):
    with ChatServer(lambda body: f"The delegation visited the {AIST_EN} (AIST).") as srv:
        units = drafted([AIST_SEGMENT], termbase, srv.client("tiny-model"))
    assert len(srv.requests) == 1
    request = srv.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "tiny-model"
    system = request["body"]["messages"][0]
    assert system["role"] == "system" and "zh-Hant" in system["content"] and "faithful" in system["content"]
    assert f"產業技術總合研究所 → {AIST_EN} (abbreviation: AIST)" in user_text(request)
    assert units == [Unit("ch1.formal1/p1#text", zh_hash(AIST_SEGMENT.zh), AIST_SEGMENT.zh,
                          f"The delegation visited the {AIST_EN} (AIST).", origin="machine", note=None, model="tiny-model")]

    path = tmp_path / "translations" / "tiny.zh-en.yaml"
    add_to_memory(path, units)
    stored = load_memory(path).units
    assert [(u.key, u.origin, u.model, u.note, u.is_reviewed) for u in stored] == [("ch1.formal1/p1#text", "machine", "tiny-model", None, False)]
    assert 'origin: machine\n    model: "tiny-model"\n' in path.read_text(encoding="utf-8")


def test_reply_missing_a_required_name_is_retried_with_the_violation_pointed_out(termbase):
    replies = iter(["The delegation visited the institute.", "The delegation visited AIST."])
    with ChatServer(lambda body: next(replies)) as srv:
        units = drafted([AIST_SEGMENT], termbase, srv.client())
    assert len(srv.requests) == 2
    retry = srv.requests[1]["body"]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "The delegation visited the institute."}
    assert retry[-1]["role"] == "user"
    assert "does not use the required English name" in retry[-1]["content"]
    assert f"產業技術總合研究所 → '{AIST_EN}' (or 'AIST')" in retry[-1]["content"]
    assert units[0].en == "The delegation visited AIST." and units[0].note is None


def test_reply_still_missing_the_name_after_the_retry_is_kept_and_marked(termbase):
    with ChatServer(lambda body: "The delegation visited the institute.") as srv:
        units = drafted([AIST_SEGMENT], termbase, srv.client())
    assert len(srv.requests) == 2  # one retry, no more
    (unit,) = units
    assert unit.en == "The delegation visited the institute." and unit.origin == "machine"
    assert unit.note == f"term check failed: the English does not name 產業技術總合研究所 ('{AIST_EN}' (or 'AIST'))"


def test_same_chinese_under_two_keys_is_asked_for_once(termbase):
    caption = Segment("fig-1#caption", "產總研的組織", "caption", ("aist",))
    entry = Segment("fm-figures#e1", "產總研的組織", "list-entry", ("aist",))
    with ChatServer(lambda body: "Organization of AIST") as srv:
        units = drafted([caption, entry], termbase, srv.client())
    assert len(srv.requests) == 1
    assert [(u.key, u.en) for u in units] == [("fig-1#caption", "Organization of AIST"), ("fm-figures#e1", "Organization of AIST")]


def test_server_down_is_tried_again_with_growing_waits_then_a_one_line_error(termbase, closed_port, waits):
    url = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(EditionError) as err:
        drafted([AIST_SEGMENT], termbase, DraftClient(url, retries=3))
    assert str(err.value) == f"{url}: connection refused (4 attempts) — start the model server or use --backend memory"
    assert waits == [1.0, 2.0, 4.0]


def test_http_error_names_the_url_and_the_servers_message_and_is_not_tried_again(termbase, waits):
    with ChatServer(lambda body: "", status=404) as srv:
        with pytest.raises(EditionError) as err:
            drafted([AIST_SEGMENT], termbase, srv.client("nope"))
    assert str(err.value) == (
        f"{srv.url}/chat/completions: HTTP 404 Not Found (model 'nope' not found) — check --endpoint and --model"
    )
    assert len(srv.requests) == 1 and waits == []  # a wrong model stays wrong


def test_a_server_error_is_tried_again_and_a_later_answer_is_used(termbase, monkeypatch):
    with ChatServer(lambda body: f"The delegation visited the {AIST_EN}.", fail_from=1) as srv:
        calls = []

        def recover(seconds):
            calls.append(seconds)
            srv.fail_from = None  # the server is back after the first wait

        monkeypatch.setattr(backends, "wait", recover)
        units = drafted([AIST_SEGMENT], termbase, srv.client())
    assert calls == [1.0] and len(srv.requests) == 2
    assert units[0].en == f"The delegation visited the {AIST_EN}."


def test_timeout_bounds_every_request(termbase):
    with ChatServer(lambda body: "late", delay=1.0) as srv:
        started = time.monotonic()
        with pytest.raises(EditionError) as err:
            drafted([AIST_SEGMENT], termbase, srv.client(timeout=0.2, retries=1))
        elapsed = time.monotonic() - started
    assert str(err.value) == (f"{srv.url.removesuffix('/v1')}/v1: no reply within 0.2 s (2 attempts)"
                              " — is the model server overloaded? Raise --timeout or use --backend memory")
    assert elapsed < 1.5


def test_of_two_answers_the_one_naming_more_required_institutions_is_kept(termbase):
    both = Segment("ch1/p2#text", "經建會與產業技術總合研究所合作。", "paragraph", ("cepd", "aist"))
    replies = iter(["The CEPD worked with an institute.", "They worked together."])
    with ChatServer(lambda body: next(replies)) as srv:
        (unit,) = drafted([both], termbase, srv.client())
    assert len(srv.requests) == 2
    # the retry named neither institution: the first answer, naming one, is kept
    assert unit.en == "The CEPD worked with an institute."
    assert unit.note == f"term check failed: the English does not name 產業技術總合研究所 ('{AIST_EN}' (or 'AIST'))"


def test_add_to_memory_keeps_reviewed_units_and_sorts_by_the_document(tmp_path):
    path = tmp_path / "m.zh-en.yaml"
    human = Unit("b#text", zh_hash("乙"), "乙", "B, reviewed")
    add_to_memory(path, [human])
    new = [Unit("c#text", zh_hash("丙"), "丙", "C", "machine"), Unit("a#text", zh_hash("甲"), "甲", "A", "machine"),
           Unit("b#text", zh_hash("乙"), "乙", "B, machine", "machine")]
    written = add_to_memory(path, new, order=["a#text", "b#text", "c#text"])
    assert [(u.key, u.en, u.origin) for u in written] == [
        ("a#text", "A", "machine"), ("b#text", "B, reviewed", "human"), ("c#text", "C", "machine")]
    assert load_memory(path).units == tuple(written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.zh-en.yaml"]  # no temporary file left


def test_build_with_the_openai_backend_writes_the_memory_and_renders_the_drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "tiny.txt"
    source.write_text(TINY_EXPORT, encoding="utf-8")
    out, tr = tmp_path / "out", tmp_path / "tr"

    def answer(body):
        # a stand-in "translation": which Chinese, plus the names the prompt requires
        return f"EN[{chinese_of(body)}] " + " ".join(required_names(body))

    with ChatServer(answer) as srv:
        result = CliRunner().invoke(main, ["build", "--backend", "openai", "--endpoint", srv.url, "--source", str(source),
                                           "--out", str(out), "--translations", str(tr), "--glossary", str(GLOSSARY)])
    assert result.exit_code == 0, result.output
    memory = yaml.safe_load((tr / "tiny.zh-en.yaml").read_text(encoding="utf-8"))
    by_key = {u["key"]: u for u in memory["segments"]}
    para = by_key["ch1.formal1/p1#text"]
    assert para["origin"] == "machine" and "note" not in para
    assert para["en"] == f"EN[本次考察拜會產業技術總合研究所，瞭解產學合作機制。] {AIST_EN}"
    assert {u["origin"] for u in memory["segments"]} == {"machine"}
    assert len(srv.requests) == len(memory["segments"])

    md = (out / "tiny.zh-en.md").read_text(encoding="utf-8")
    # published marked as drafts, never as final English
    assert f"> ⚠ *[draft — English not reviewed yet (a machine draft or a reused close match)]* EN\\[本次考察拜會產業技術總合研究所，瞭解產學合作機制。] {AIST_EN}" in md
    assert "## 第一章 前言 · Chapter 1 EN\\[前言] ⚠ *(draft)*" in md
    assert "missing" not in md.split("## 附錄")[0]
    assert "| draft — English not reviewed yet | 7 |" in (out / "tiny.qa.md").read_text(encoding="utf-8")
    assert result.stderr.splitlines() == [
        f"{source}: drafted 7/7, 0 failed",  # stderr is no terminal here: plain progress lines
        f"drafted 7 of 7 missing segment(s) into {tr / 'tiny.zh-en.yaml'}",
        f"built 1 document(s) (0 from cache), wrote 4 file(s) to {out}; segments: 0 translated, 7 draft, 0 stale, 0 missing",
    ]

    # the drafts live in the memory now: a plain build (no server) reproduces the same edition,
    # but --check fails until a reviewer accepts them
    check = CliRunner().invoke(main, ["build", "--check", "--source", str(source), "--out", str(out),
                                      "--translations", str(tr), "--glossary", str(GLOSSARY)])
    assert check.exit_code == 1
    assert check.stderr.startswith("tiny: 7 draft segment(s) — English not reviewed yet, a machine draft or a reused close match")
    assert "differs" not in check.stderr


def test_a_server_failing_midway_leaves_its_drafts_in_the_memory_and_a_rerun_asks_only_for_the_rest(tmp_path, monkeypatch, waits):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    args = ["build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", str(GLOSSARY), "--backend", "openai"]
    with ChatServer(lambda body: f"EN[{chinese_of(body)}] " + " ".join(required_names(body)), fail_from=4) as srv:
        result = CliRunner().invoke(main, [*args, "--endpoint", srv.url, "--retries", "2"])
    assert result.exit_code == 1
    assert result.stderr == (
        "tiny.txt: drafted 3/7, 0 failed\n"  # where drafting stopped
        f"Error: {srv.url}/chat/completions: HTTP 500 Internal Server Error (out of memory) (3 attempts); drafting stopped"
        f" after 3 of 7 segment(s), saved in {Path('tr') / 'tiny.zh-en.yaml'} — check the model server, then run the same"
        " command again to draft the rest\n"
    )
    assert waits == [1.0, 2.0]
    kept = load_memory(tmp_path / "tr" / "tiny.zh-en.yaml").units
    assert [u.key for u in kept] == ["meta#title", "meta#report_kind", "meta#trip_category"]
    assert not (tmp_path / "out").exists()  # nothing built from a half-drafted memory

    with ChatServer(lambda body: f"EN[{chinese_of(body)}] " + " ".join(required_names(body))) as srv:
        result = CliRunner().invoke(main, [*args, "--endpoint", srv.url])
    assert result.exit_code == 0, result.output
    assert len(srv.requests) == 4  # only what the first run did not get
    assert [chinese_of(r["body"]) for r in srv.requests][0] == "行政院經濟建設委員會"
    assert len(load_memory(tmp_path / "tr" / "tiny.zh-en.yaml").units) == 7


def test_drafting_reports_progress_once_per_answer(tmp_path, termbase):
    from edition.build import BuildSettings, document_for_translation

    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    doc, _ = document_for_translation(tmp_path / "tiny.txt", BuildSettings(glossary_dir=GLOSSARY, cache_dir=None), termbase)
    calls = []
    with ChatServer(lambda body: "EN " + " ".join(required_names(body))) as srv:
        report = draft_missing(doc, load_memory(tmp_path / "tiny.zh-en.yaml"), termbase, srv.client(),
                               progress_for=lambda label, total: (calls.append((label, total)) or (lambda *n: calls.append(n))), label="tiny.txt")
    assert calls == [("tiny.txt", 7), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0)]
    assert (report.missing, report.drafted) == (7, 7)


def test_build_with_the_openai_backend_and_no_server_fails_in_one_line(tmp_path, monkeypatch, closed_port):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "tiny.txt"
    source.write_text(TINY_EXPORT, encoding="utf-8")
    url = f"http://127.0.0.1:{closed_port}"
    result = CliRunner().invoke(main, ["build", "--backend", "openai", "--endpoint", url, "--source", str(source),
                                       "--out", "out", "--translations", "tr", "--glossary", str(GLOSSARY)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {url}: connection refused (4 attempts) — start the model server or use --backend memory\n"
    assert not (tmp_path / "out").exists() and not (tmp_path / "tr").exists()


def test_openai_backend_needs_an_endpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDITION_MT_ENDPOINT", raising=False)
    result = CliRunner().invoke(main, ["build", "--backend", "openai", "--source", "x.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --backend openai: no model server given — pass --endpoint URL (or set EDITION_MT_ENDPOINT)\n"


def test_check_cannot_be_combined_with_the_openai_backend():
    result = CliRunner().invoke(main, ["build", "--check", "--backend", "openai", "--endpoint", "http://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "--check writes nothing" in result.stderr


# -- several requests in flight, progress, answers with nothing in them ------------------------


def draft_tiny(srv, *extra):
    return CliRunner().invoke(main, ["build", "--source", "tiny.txt", "--out", "out", "--translations", "tr", "--glossary", str(GLOSSARY),
                                     "--backend", "openai", "--endpoint", srv.url, *extra])


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.txt").write_text(TINY_EXPORT, encoding="utf-8")
    return tmp_path


def test_concurrency_keeps_that_many_requests_in_flight(tiny):
    with ChatServer(stand_in_english, delay=0.3) as srv:
        started = time.monotonic()
        result = draft_tiny(srv, "--concurrency", "4")
        elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert srv.max_in_flight == 4 and len(srv.requests) == 7
    assert elapsed < 7 * 0.3  # not one after the other
    units = load_memory(tiny / "tr" / "tiny.zh-en.yaml").units
    # answers arrive in any order; the memory keeps the document's
    assert [u.key for u in units] == ["meta#title", "meta#report_kind", "meta#trip_category", "meta#agency",
                                      "ch1#heading", "ch1.formal1#heading", "ch1.formal1/p1#text"]


def test_without_concurrency_one_request_at_a_time(tiny):
    with ChatServer(stand_in_english, delay=0.05) as srv:
        assert draft_tiny(srv).exit_code == 0
    assert srv.max_in_flight == 1 and len(srv.requests) == 7


def test_progress_is_plain_lines_with_counts_when_stderr_is_no_terminal(tiny, monkeypatch):
    from edition import cli

    monkeypatch.setattr(cli, "PROGRESS_SECONDS", 0.0)  # a line per answer instead of every 5 s
    with ChatServer(lambda body: "" if "考察緣起" in chinese_of(body) else stand_in_english(body)) as srv:
        result = draft_tiny(srv, "--concurrency", "2")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("tiny.txt: drafted ")]
    assert len(lines) == 7 and "\r" not in result.stderr
    assert lines[-1] == "tiny.txt: drafted 6/7, 1 failed"
    counts = [tuple(map(int, re.findall(r"\d+", line.split(": ", 1)[1])))[::2] for line in lines]
    assert [d + f for d, f in counts] == list(range(1, 8))  # (drafted, failed) after each answer


def test_an_empty_or_refused_reply_is_counted_reported_and_left_missing_for_the_next_run(tiny):
    def answer(body):
        zh = chinese_of(body)
        if zh == "前言":
            return ""
        if zh == "考察":
            return {"content": None, "refusal": "I can't help with that."}
        if zh == "考察緣起":
            return {"content": "Background of the", "finish_reason": "length"}
        return stand_in_english(body)

    with ChatServer(answer) as srv:
        result = draft_tiny(srv, "--concurrency", "3")
    assert result.exit_code == 0, result.output
    report = result.stderr.splitlines()
    start = report.index(f"drafted 4 of 7 missing segment(s) into {Path('tr') / 'tiny.zh-en.yaml'}; 3 failed"
                         " — left missing, run the same command again to retry them")
    assert sorted(report[start + 1 : start + 4]) == [
        "  failed ch1#heading: the reply was empty",
        "  failed ch1.formal1#heading: the reply was cut off (finish_reason: length) — raise the server's output token limit",
        "  failed meta#trip_category: the model refused (I can't help with that.)",
    ]
    assert report[-1].endswith("segments: 0 translated, 4 draft, 0 stale, 3 missing")
    memory = load_memory(tiny / "tr" / "tiny.zh-en.yaml")
    assert sorted(memory.by_key) == ["ch1.formal1/p1#text", "meta#agency", "meta#report_kind", "meta#title"]

    with ChatServer(stand_in_english) as srv:  # the next run asks for those three only
        result = draft_tiny(srv)
    assert result.exit_code == 0, result.output
    assert sorted(chinese_of(r["body"]) for r in srv.requests) == ["前言", "考察", "考察緣起"]
    assert result.stderr.splitlines()[-1].endswith("segments: 0 translated, 7 draft, 0 stale, 0 missing")


def test_a_server_failing_with_requests_in_flight_saves_every_answer_it_gave(tiny, waits):
    with ChatServer(stand_in_english, fail_from=5, delay=0.1) as srv:
        result = draft_tiny(srv, "--concurrency", "4", "--retries", "0")
    assert result.exit_code == 1
    assert "drafting stopped after 4 of 7 segment(s)" in result.stderr
    assert len(load_memory(tiny / "tr" / "tiny.zh-en.yaml").units) == 4


@pytest.mark.parametrize("option, value", [("--endpoint", "http://127.0.0.1:1/v1"), ("--concurrency", "4"), ("--model", "x")])
def test_a_drafting_option_without_the_openai_backend_is_refused_in_one_line(tiny, option, value):
    result = CliRunner().invoke(main, ["build", "--source", "tiny.txt", option, value])
    assert result.exit_code == 1
    name = option.lstrip("-")
    assert result.stderr == f"Error: --{name} is for drafting — add --backend openai to draft the missing English, or leave --{name} out\n"
    assert not (tiny / "output").exists()


def test_the_endpoint_from_the_environment_alone_is_no_error(tiny, monkeypatch):
    monkeypatch.setenv("EDITION_MT_ENDPOINT", "http://127.0.0.1:1/v1")
    result = CliRunner().invoke(main, ["build", "--source", "tiny.txt", "--out", "out", "--glossary", str(GLOSSARY)])
    assert result.exit_code == 0, result.output


def test_concurrency_below_one_is_a_one_line_error(tiny):
    result = CliRunner().invoke(main, ["build", "--source", "tiny.txt", "--backend", "openai", "--endpoint", "http://127.0.0.1:1/v1",
                                       "--concurrency", "0"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --concurrency 0: must be 1 or more (requests in flight at once)\n"
