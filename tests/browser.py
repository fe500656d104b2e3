"""Headless Chromium driven over the Chrome DevTools protocol, for the tests of the HTML edition.

The browser is Debian's ``chromium`` (or ``$EDITION_CHROMIUM``); it is spoken to through
``--remote-debugging-pipe`` (JSON messages ending in a NUL byte, commands on fd 3, answers on
fd 4), so no port is opened and no dependency is needed. Every request the page makes passes
through the Fetch domain: ``file:`` and ``data:`` are let through, anything else is refused and
recorded — so a test both proves that nothing leaves the machine and never sends anything.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio", "--no-default-browser-check")
LOCAL = ("file:", "data:", "about:")


def chromium_path() -> str | None:
    """The Chromium to test with, or None where none is installed."""
    explicit = os.environ.get("EDITION_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _above_nine(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class BrowserError(Exception):
    pass


class Chromium:
    """One headless browser with one page. Use as a context manager."""

    def __init__(self, executable: str, timeout: float = 60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="edition-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the browser's ends go above 9 first, so that moving them to 3 and 4 clobbers nothing
        to_browser_r, from_browser_w = (_above_nine(fd) for fd in (to_browser_r, from_browser_w))
        # bash (dash cannot name an fd above 9) moves the pipe ends to fds 3 and 4, where --remote-debugging-pipe wants them
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        self.proc = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", script, executable, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.refused: list[str] = []  # URLs the page asked for that are not on this machine
        self.session = ""

    # -- the protocol --

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session if session is not None else self.session:
            msg["sessionId"] = session if session is not None else self.session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        return self._next_id

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the pipe (it exited)")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _handle(self, msg: dict) -> None:
        """Events: paused requests are answered at once (local ones continue, others are refused)."""
        if msg.get("method") == "Fetch.requestPaused":
            p = msg["params"]
            url = p["request"]["url"]
            if url.startswith(LOCAL):
                self._send("Fetch.continueRequest", {"requestId": p["requestId"]}, msg.get("sessionId", ""))
            else:
                self.refused.append(url)
                self._send("Fetch.failRequest", {"requestId": p["requestId"], "errorReason": "BlockedByClient"}, msg.get("sessionId", ""))
        self.events.append(msg)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send a command and wait for its answer (handling events meanwhile)."""
        want = self._send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = self._read(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            self._handle(msg)

    def wait_for(self, method: str) -> dict:
        """Wait for an event of the page (one already received counts)."""
        deadline = time.monotonic() + self.timeout
        for k, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(k)
        while True:
            msg = self._read(deadline)
            self._handle(msg)
            if msg.get("method") == method:
                self.events.remove(msg)
                return msg

    # -- what the tests use --

    def __enter__(self) -> "Chromium":
        targets = self.call("Target.getTargets", session="")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session="")["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call("Browser.close", session="")
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, path: Path) -> None:
        """Load a file and wait until it and its pictures have loaded."""
        self.events.clear()
        self.call("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}…: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        """The viewport as PNG bytes."""
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
