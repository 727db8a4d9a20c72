"""Headless Chromium for tests: serve a built site on 127.0.0.1, open its pages, run JS, take screenshots.

Uses Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (packages chromium and
chromium-driver; ``.ci/run`` installs them when missing) through Selenium, always with both paths
given explicitly so that Selenium Manager never downloads anything. Tests that need a browser
call :func:`require` (or use :func:`browser`, which calls it) and are skipped cleanly when Selenium,
Chromium or chromedriver is missing.

    from browser import browser, serve

    with serve(site_dir) as server, browser() as chrome:
        chrome.open(server.url("speakers/"))
        assert chrome.js("return document.title")
        chrome.screenshot(tmp_path / "speakers.png")

Pages are served over HTTP (not ``file://``) because MkDocs' search and directory URLs need it.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FACTSHEET_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("FACTSHEET_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--disable-extensions", "--mute-audio")


def missing() -> str | None:
    """Why no browser test can run here, or None when Selenium, Chromium and chromedriver are all present."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{name} is not installed (apt-get install chromium chromium-driver)"
    return None


def require() -> None:
    """Skip the calling test when there is no browser to run it with."""
    reason = missing()
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, served: list | None = None, **kwargs):
        self.served = served
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_header(self, keyword: str, value: str) -> None:
        # Every file sent, also those a page's web worker fetches (which the page's own
        # Resource Timing does not list): (path, bytes) in SiteServer.served.
        if keyword.lower() == "content-length" and self.served is not None:
            self.served.append((self.path, int(value)))
        super().send_header(keyword, value)


class SiteServer:
    """A folder served over HTTP on 127.0.0.1 in a background thread (use :func:`serve`)."""

    def __init__(self, root: Path, port: int = 0):
        self.served: list[tuple[str, int]] = []
        handler = functools.partial(_QuietHandler, directory=str(root), served=self.served)
        self.root = Path(root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port or free_port()), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str | Path = "") -> str:
        """The URL of ``path`` (relative to the served folder; ``index.html`` may be left out)."""
        path = str(path).replace(os.sep, "/").lstrip("/")
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        return self.base + path

    def pages(self) -> list[str]:
        """The URL of every HTML page in the served folder, sorted."""
        return [self.url(p.relative_to(self.root).as_posix()) for p in sorted(self.root.rglob("*.html"))]

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@contextlib.contextmanager
def serve(root: str | Path) -> Iterator[SiteServer]:
    """Serve ``root`` on a free port of 127.0.0.1 for the duration of the block."""
    server = SiteServer(Path(root)).start()
    try:
        yield server
    finally:
        server.stop()


class Browser:
    """One headless Chromium session (use :func:`browser`)."""

    def __init__(self, width: int = 1280, height: int = 900, page_load_timeout: float = 30):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="factsheet-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit driver path: Selenium Manager is never run, nothing is downloaded.
        service = Service(executable_path=CHROMEDRIVER, log_output=os.devnull)
        try:
            self.driver = webdriver.Chrome(options=options, service=service)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(page_load_timeout)
        self.driver.set_script_timeout(page_load_timeout)

    def add_init_script(self, source: str) -> None:
        """Run ``source`` in every page opened from now on, before any of the page's own scripts."""
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})

    def open(self, url: str) -> None:
        """Load ``url`` and wait until the document has finished loading."""
        self.driver.get(url)
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def js(self, script: str, *args: object) -> object:
        """Run ``script`` (a function body: use ``return``) in the page and give back its result."""
        return self.driver.execute_script(script, *args)

    def js_async(self, script: str, *args: object) -> object:
        """Run ``script`` and wait for it to call ``arguments[arguments.length - 1](result)``."""
        return self.driver.execute_async_script(script, *args)

    def screenshot(self, path: str | Path, full_page: bool = False) -> Path:
        """Save a PNG of the window (or of the whole page, resizing the window to fit) to ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not full_page:
            self.driver.save_screenshot(str(path))
            return path
        size = self.driver.get_window_size()
        height = int(self.js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"))
        self.driver.set_window_size(size["width"], max(height, size["height"]))
        try:
            self.driver.save_screenshot(str(path))
        finally:
            self.driver.set_window_size(size["width"], size["height"])
        return path

    def console(self) -> list[dict]:
        """Browser console messages since the last call (errors, warnings, logs)."""
        try:
            return self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - not every driver keeps logs
            return []

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


@contextlib.contextmanager
def browser(width: int = 1280, height: int = 900) -> Iterator[Browser]:
    """A headless Chromium for the duration of the block; skips the test when there is none."""
    require()
    chrome = Browser(width, height)
    try:
        yield chrome
    finally:
        chrome.quit()


def wait_until(check, seconds: float = 15):
    """``check()``'s first true value within ``seconds`` (polled), else its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()
