"""A headless Chromium for the report tests, driven over the DevTools protocol on a pipe.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands on file
descriptor 3 and writes replies and events on 4, each a JSON message ending in a NUL byte. That
needs nothing but the browser (Debian's ``chromium`` package; ``.ci/run`` installs it) and the
standard library, so the same test runs in every environment CI builds.

The ``chromium`` fixture skips the tests that use it, saying why, when no browser is found —
unless ``NEUROGEOM_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where that is a failure.
``NEUROGEOM_CHROMIUM`` names the executable to use.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: Switches for a quiet, offline, throw-away browser.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0  # seconds for any one protocol reply or event


def find_chromium() -> str | None:
    """The browser to use: ``$NEUROGEOM_CHROMIUM``, else the first candidate on ``PATH``."""
    chosen = os.environ.get("NEUROGEOM_CHROMIUM")
    if chosen:
        return chosen if shutil.which(chosen) else None
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


class BrowserError(RuntimeError):
    """The browser died, timed out or answered a command with an error."""


class Chromium:
    """One headless Chromium process and its DevTools connection."""

    def __init__(self, executable: str, profile: Path, log: Path) -> None:
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # copies numbered >= 10 so that moving them to 3 and 4 in the child cannot clobber one
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser)]

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.log = log
        with open(log, "wb") as stderr:
            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=False,  # keeps 3 and 4; every other descriptor is close-on-exec
                preexec_fn=wire_pipes,  # only dup2 in the child: safe after fork
            )
        for fd in (to_browser, from_browser, *high):
            os.close(fd)
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._events: list[dict[str, Any]] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = bytearray()
        while chunk := os.read(self._replies, 1 << 20):
            buffer += chunk
            while (end := buffer.find(b"\0")) >= 0:
                self._inbox.put(json.loads(bytes(buffer[:end])))
                del buffer[: end + 1]
        self._inbox.put(None)

    def _receive(self, deadline: float) -> dict[str, Any]:
        try:
            message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise BrowserError(f"no reply from Chromium within {TIMEOUT} s") from None
        if message is None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise BrowserError(f"Chromium closed the connection; its log ends:\n{tail}")
        return message

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its reply (events arriving meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        """Wait for an event of this session (one that already arrived counts)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event["params"]
            message = self._receive(deadline)
            if "method" in message:
                self._events.append(message)

    def events(self, session: str) -> list[dict[str, Any]]:
        """Every event of this session received so far."""
        return [e for e in self._events if e.get("sessionId") == session]

    def open(self, url: str, *, width: int, height: int, mobile: bool = False) -> Page:
        """A new tab of the given viewport showing ``url``, once its load event has fired."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        self.send("Emulation.setDeviceMetricsOverride", metrics, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        return Page(self, target, session, url)

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        self._reader.join(timeout=5)
        os.close(self._replies)


@dataclass
class Page:
    """A tab: evaluate script in it, capture it, and list what went wrong while it loaded."""

    browser: Chromium
    target: str
    session: str
    url: str
    closed: bool = field(default=False)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        reply = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, target: Path) -> bytes:
        """A PNG of the whole page (not only the viewport), also written to ``target``."""
        width, height = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        reply = self.browser.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
            self.session,
        )
        png = base64.b64decode(reply["data"])
        target.write_bytes(png)
        return png

    def pdf(self) -> bytes:
        """The page printed (print style sheet, A4-ish defaults)."""
        reply = self.browser.send("Page.printToPDF", {"printBackground": True}, self.session)
        return base64.b64decode(reply["data"])

    def emulate_media(self, media: str) -> None:
        """Apply the style sheets of a medium (``"print"``, or ``""`` for the screen)."""
        self.browser.send("Emulation.setEmulatedMedia", {"media": media}, self.session)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, error log entries, and any request that left
        the page (anything but the page's own file and ``data:`` URLs)."""
        out = []
        for event in self.browser.events(self.session):
            method, params = event["method"], event["params"]
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                text = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                out.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(f"log ({params['entry']['source']}): {params['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if url != self.url and not url.startswith("data:"):
                    out.append(f"request: {url}")
        return out

    def close(self) -> None:
        if not self.closed:
            self.browser.send("Target.closeTarget", {"targetId": self.target})
            self.closed = True


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory):
    """A headless Chromium shared by the session's tests (skipped if there is none)."""
    executable = find_chromium()
    if executable is None:
        reason = (
            "no Chromium found (looked for $NEUROGEOM_CHROMIUM, then "
            f"{', '.join(CANDIDATES)} on PATH); install Debian's chromium package"
        )
        if os.environ.get("NEUROGEOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEUROGEOM_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("chromium")
    browser = Chromium(executable, folder / "profile", folder / "chromium.log")
    try:
        assert "product" in browser.send("Browser.getVersion")  # the connection works
        yield browser
    finally:
        browser.close()
