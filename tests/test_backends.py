"""The OpenAI-compatible backend, against a small chat-completions server run by the tests.

The server answers in the OpenAI format (``{"choices": [{"message": {"content": …}}]}``) and
records every request, so a test can see what the build asked and how often.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from click.testing import CliRunner

from conftest import GLOSSARY, TINY_EXPORT
from edition.cli import main
from edition.errors import EditionError
from edition.glossary.termbase import load_termbase
from edition.translate.backends import add_to_memory, translate_segments
from edition.translate.memory import Unit, load_memory
from edition.translate.segments import Segment, zh_hash

AIST_EN = "National Institute of Advanced Industrial Science and Technology"



class ChatServer:
    """A chat-completions server on 127.0.0.1:<free port>; ``answer(request) -> content``."""

    def __init__(self, answer, status: int = 200):
        self.answer = answer
        self.status = status
        self.requests: list[dict] = []

    def __enter__(self) -> "ChatServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body})
                if server.status != 200:
                    payload = {"error": {"message": "model 'nope' not found", "type": "invalid_request_error"}}
                else:
                    content = server.answer(body)
                    payload = {"object": "chat.completion", "model": body["model"],
                               "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}
                data = json.dumps(payload).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def user_text(request: dict) -> str:
    return "\n".join(m["content"] for m in request["body"]["messages"] if m["role"] == "user")


def chinese_of(body: dict) -> str:
    """The Chinese the request asks for (the text after the 'Chinese:' line of the first user message)."""
    first = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return first.split("Chinese:\n", 1)[1]


def required_names(body: dict) -> list[str]:
    first = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return re.findall(r"^- .+? → (.+?)(?: \(abbreviation: .+\))?$", first, re.M)


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
        units = translate_segments([AIST_SEGMENT], termbase, srv.url, "tiny-model")
    assert len(srv.requests) == 1
    request = srv.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "tiny-model"
    system = request["body"]["messages"][0]
    assert system["role"] == "system" and "zh-Hant" in system["content"] and "faithful" in system["content"]
    assert f"產業技術總合研究所 → {AIST_EN} (abbreviation: AIST)" in user_text(request)
    assert units == [Unit("ch1.formal1/p1#text", zh_hash(AIST_SEGMENT.zh), AIST_SEGMENT.zh,
                          f"The delegation visited the {AIST_EN} (AIST).", origin="machine", note=None)]

    path = tmp_path / "translations" / "tiny.zh-en.yaml"
    add_to_memory(path, units)
    stored = load_memory(path).units
    assert [(u.key, u.origin, u.note) for u in stored] == [("ch1.formal1/p1#text", "machine", None)]
    assert "origin: machine" in path.read_text(encoding="utf-8")


def test_reply_missing_a_required_name_is_retried_with_the_violation_pointed_out(termbase):
    replies = iter(["The delegation visited the institute.", "The delegation visited AIST."])
    with ChatServer(lambda body: next(replies)) as srv:
        units = translate_segments([AIST_SEGMENT], termbase, srv.url, "local")
    assert len(srv.requests) == 2
    retry = srv.requests[1]["body"]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "The delegation visited the institute."}
    assert retry[-1]["role"] == "user"
    assert "does not use the required English name" in retry[-1]["content"]
    assert f"產業技術總合研究所 → '{AIST_EN}' (or 'AIST')" in retry[-1]["content"]
    assert units[0].en == "The delegation visited AIST." and units[0].note is None


def test_reply_still_missing_the_name_after_the_retry_is_kept_and_marked(termbase):
    with ChatServer(lambda body: "The delegation visited the institute.") as srv:
        units = translate_segments([AIST_SEGMENT], termbase, srv.url, "local")
    assert len(srv.requests) == 2  # one retry, no more
    (unit,) = units
    assert unit.en == "The delegation visited the institute." and unit.origin == "machine"
    assert unit.note == f"term check failed: the English does not name 產業技術總合研究所 ('{AIST_EN}' (or 'AIST'))"


def test_same_chinese_under_two_keys_is_asked_for_once(termbase):
    caption = Segment("fig-1#caption", "產總研的組織", "caption", ("aist",))
    entry = Segment("fm-figures#e1", "產總研的組織", "list-entry", ("aist",))
    with ChatServer(lambda body: "Organization of AIST") as srv:
        units = translate_segments([caption, entry], termbase, srv.url, "local")
    assert len(srv.requests) == 1
    assert [(u.key, u.en) for u in units] == [("fig-1#caption", "Organization of AIST"), ("fm-figures#e1", "Organization of AIST")]


def test_server_down_is_a_one_line_error(termbase, closed_port):
    url = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(EditionError) as err:
        translate_segments([AIST_SEGMENT], termbase, url, "local")
    assert str(err.value) == f"{url}: connection refused — start the model server or use --backend memory"


def test_http_error_names_the_url_and_the_servers_message(termbase):
    with ChatServer(lambda body: "", status=404) as srv:
        with pytest.raises(EditionError) as err:
            translate_segments([AIST_SEGMENT], termbase, srv.url, "nope")
    assert str(err.value) == (
        f"{srv.url}/chat/completions: HTTP 404 Not Found (model 'nope' not found) — check --endpoint and --model"
    )


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
    assert f"> EN\\[本次考察拜會產業技術總合研究所，瞭解產學合作機制。\\] {AIST_EN}" in md
    assert "## 第一章 前言 · Chapter 1 EN\\[前言\\]" in md
    assert "untranslated" not in md

    # the drafts live in the memory now: a plain build (no server) reproduces the same edition
    check = CliRunner().invoke(main, ["build", "--check", "--source", str(source), "--out", str(out),
                                      "--translations", str(tr), "--glossary", str(GLOSSARY)])
    assert check.exit_code == 0, check.output


def test_build_with_the_openai_backend_and_no_server_fails_in_one_line(tmp_path, monkeypatch, closed_port):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "tiny.txt"
    source.write_text(TINY_EXPORT, encoding="utf-8")
    url = f"http://127.0.0.1:{closed_port}"
    result = CliRunner().invoke(main, ["build", "--backend", "openai", "--endpoint", url, "--source", str(source),
                                       "--out", "out", "--translations", "tr", "--glossary", str(GLOSSARY)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {url}: connection refused — start the model server or use --backend memory\n"
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
