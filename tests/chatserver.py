"""A chat-completions server for the tests, on 127.0.0.1 and a free port.

It answers in the OpenAI format (``{"choices": [{"message": {"content": …}}]}``) and records
every request, so a test can see what a build asked and how often, and how many requests it
was answering at once (``max_in_flight``). It can fail from a given request on (HTTP 500, as a
server that falls over midway), or answer slower than a client waits. ``answer`` returns the
reply's text, or a dict of the choice's ``content``, ``refusal`` and ``finish_reason``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from edition.translate.backends import DraftClient


class ChatServer:
    """A chat-completions server on 127.0.0.1:<free port>; ``answer(request) -> content``.

    ``fail_from``: from that request on (1-based) every answer is HTTP 500, as from a server
    that fell over midway; ``delay``: seconds to wait before answering.
    """

    def __init__(self, answer, status: int = 200, fail_from: int | None = None, delay: float = 0):
        self.answer = answer
        self.status = status
        self.fail_from = fail_from
        self.delay = delay
        self.requests: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def __enter__(self) -> "ChatServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    server.requests.append({"path": self.path, "body": body})
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                answered = [False]
                try:
                    self._answer(body, answered)
                finally:
                    if not answered[0]:
                        self._done(answered)

            def _done(self, answered):
                # counted out before the reply is sent: the client may ask again the moment it arrives
                with server._lock:
                    server.in_flight -= 1
                answered[0] = True

            def _answer(self, body, answered):
                status = server.status
                if server.fail_from is not None and len(server.requests) >= server.fail_from:
                    status = 500
                if server.delay:
                    time.sleep(server.delay)
                if status == 500:
                    payload = {"error": {"message": "out of memory", "type": "server_error"}}
                elif status != 200:
                    payload = {"error": {"message": "model 'nope' not found", "type": "invalid_request_error"}}
                else:
                    reply = server.answer(body)
                    reply = reply if isinstance(reply, dict) else {"content": reply}
                    message = {"role": "assistant", "content": reply.get("content")}
                    if "refusal" in reply:
                        message["refusal"] = reply["refusal"]
                    payload = {"object": "chat.completion", "model": body["model"],
                               "choices": [{"index": 0, "message": message, "finish_reason": reply.get("finish_reason", "stop")}]}
                data = json.dumps(payload).encode()
                self._done(answered)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def client(self, model: str = "local", **kw) -> DraftClient:
        return DraftClient(self.url, model, **kw)

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


def stand_in_english(body: dict) -> str:
    """A stand-in "translation" that passes the term check: which Chinese, plus the names the prompt requires."""
    return f"EN[{chinese_of(body)}] " + " ".join(required_names(body))
