"""``factsheet add``: pages served from a local HTTP server on 127.0.0.1, never the internet."""
from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
import time

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import FactsheetError
from generator.ingest import fetch, load_article, load_articles

PARAS = [
    "The minister said on Tuesday that the government would act on the report before the end of the year.",
    "“We will not wait for another winter,” she told reporters in the capital, adding that the plan was ready.",
    "Critics said the plan came too late. “It is a year overdue,” said an opposition spokesman, Tom Fields.",
]
PAGE = ("<!DOCTYPE html>\n<html><head><title>Minister acts | Daily Example</title>"
        '<meta property="og:site_name" content="Daily Example"></head><body><article>'
        + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>")

ROUTES = {
    "/story.html": (200, "text/html; charset=utf-8", PAGE.encode("utf-8")),
    "/legacy": (200, "text/html; charset=windows-1252", PAGE.replace("<head>", "<head>").encode("cp1252")),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not a page"),
    "/empty.html": (200, "text/html", b"<html><head><title>x</title></head><body><script>1</script></body></html>"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/drip":  # one byte just inside each read timeout, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except ConnectionError:
                pass
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story.html")
            self.end_headers()
            return
        status, kind, body = ROUTES.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:  # the client gave up waiting (the timeout test)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_add_keeps_a_copy_with_url_and_date(server, tmp_path):
    path, new = fetch.add(f"{server}/story.html", tmp_path / "articles")
    assert new and path.parent == tmp_path / "articles" and path.suffix == ".html"
    assert path.read_bytes().startswith(b"<!DOCTYPE html>\n<!-- saved from url=")
    article = load_article(path)
    assert article.url == f"{server}/story.html" and "url" not in article.guessed
    assert article.retrieved == dt.datetime.now(dt.timezone.utc).date()
    assert [p.text for p in article.paragraphs] == PARAS


def test_adding_twice_keeps_one_copy(server, tmp_path):
    first, _ = fetch.add(f"{server}/story.html", tmp_path)
    again, new = fetch.add(f"{server}/story.html", tmp_path)
    assert (again, new) == (first, False)
    assert len(list(tmp_path.iterdir())) == 1


def test_redirect_records_the_final_address(server, tmp_path):
    path, _ = fetch.add(f"{server}/moved", tmp_path)
    assert load_article(path).url == f"{server}/story.html"


def test_header_charset_is_kept_in_the_copy(server, tmp_path):
    path, _ = fetch.add(f"{server}/legacy", tmp_path)
    assert b'<meta charset="windows-1252">' in path.read_bytes()[:400]
    assert "“We will not wait for another winter,”" in load_article(path).text


@pytest.mark.parametrize("route, message", [
    ("/missing.html", "the server answered 404"),
    ("/report.pdf", "not a web page (it serves application/pdf)"),
    ("/empty.html", "no article text found"),
])
def test_failures_are_one_line_and_keep_nothing(server, tmp_path, route, message):
    with pytest.raises(FactsheetError) as info:
        fetch.add(f"{server}{route}", tmp_path)
    assert str(info.value).startswith(f"{server}{route}: ") and message in str(info.value)
    assert not any(tmp_path.iterdir())


def test_timeout(server, tmp_path):
    with pytest.raises(FactsheetError, match=r"no answer from 127\.0\.0\.1 within"):
        fetch.add(f"{server}/slow", tmp_path, timeout=0.3)


def test_offline_is_a_clear_error(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FactsheetError, match=r"cannot reach 127\.0\.0\.1: .*hint: check the network"):
        fetch.add(f"http://127.0.0.1:{port}/x", tmp_path)


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "example.org/story", "javascript:alert(1)"])
def test_only_http_urls(url, tmp_path):
    with pytest.raises(FactsheetError, match="only http:// and https://"):
        fetch.add(url, tmp_path)


def test_file_names_are_readable_and_unique(server, tmp_path):
    assert fetch.file_name("https://www.example.org/news/2020/minister-acts.html") == "example-minister-acts.html"
    page = fetch.fetch(f"{server}/story.html")
    assert fetch.save(page, tmp_path).name != fetch.save(page, tmp_path).name


def test_cli_add(server, tmp_path):
    content = tmp_path / "content"
    result = CliRunner().invoke(main, ["add", "--content", str(content), f"{server}/story.html",
                                       f"{server}/missing.html", "ftp://x/y"])
    assert result.exit_code == 1
    assert "added: " in result.output and "Traceback" not in result.output
    assert "missing.html: the server answered 404" in result.output
    assert "ftp://x/y: only http:// and https://" in result.output
    articles, problems = load_articles(content / "articles")
    assert len(articles) == 1 and not problems


def test_timeout_bounds_the_whole_download_not_each_read(server, tmp_path):
    started = time.monotonic()
    with pytest.raises(FactsheetError, match=r"no answer from 127\.0\.0\.1 within 0\.5 s"):
        fetch.add(f"{server}/drip", tmp_path, timeout=0.5)
    assert time.monotonic() - started < 3  # the server would drip for 20 s
    assert not any(tmp_path.iterdir())


BAD_URLS = [
    ("http://example.org:eighty/story", "not a valid address: Port could not be cast to integer value as 'eighty'"),
    ("http://[::1/story", "not a valid address: Invalid IPv6 URL"),
    ("http://[not-an-ip]/story", "not a valid address:"),
    ("http://example.org/a\nb", "the address contains control characters"),
    ("http://example.org/\x1b[31mred", "the address contains control characters"),
    ("http://example.org/\x00", "the address contains control characters"),
]


@pytest.mark.parametrize("url, message", BAD_URLS, ids=[row[0] for row in BAD_URLS])
def test_malformed_addresses_are_one_line_errors(url, message, tmp_path):
    result = CliRunner().invoke(main, ["add", url, "--content", str(tmp_path / "content")])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "content").exists()


def test_a_redirect_loop_is_one_line(server, tmp_path):
    with pytest.raises(FactsheetError) as info:
        fetch.add(f"{server}/loop", tmp_path)
    assert str(info.value) == (f"{server}/loop: the server redirects in a loop (or too often): 302 "
                               "(hint: open the address in a browser and add the address it ends at)")
