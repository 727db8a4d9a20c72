"""The MkDocs plugin's events, one by one, without running a build (the end-to-end builds are in
test_site.py): what it adds, what it drops, what it warns about and what it watches."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from conftest import ROOT, write
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generator.publish.plugin import SECTIONS


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo project with its fact files."""
    import shutil

    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns(".factsheet*"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def started(project: Path, command: str = "build"):
    """The loaded config and the plugin instance after on_startup and on_config, as MkDocs calls them."""
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    return config, config.plugins["factsheet"]


def on_files(config):
    """The files after every plugin's on_files (MkDocs' own dispatch, which names the plugin running)."""
    return config.plugins.on_files(get_files(config), config=config)


def test_pages_are_generated_files_and_content_files_are_dropped(demo):
    config, plugin = started(demo)
    files = on_files(config)
    uris = {f.src_uri for f in files}
    assert {"index.md", "timeline/index.md", "speakers/index.md", "sources/index.md", "downloads.md",
            "speakers/mike-pompeo.md", "sources/buzzfeed-amazon-tiktok-ban.md", "facts.json", "facts.csv"} <= uris
    assert not any(u.startswith(("articles/", "facts/")) or u == "people.yaml" for u in uris)
    generated = files.get_file_from_path("speakers/mike-pompeo.md")
    assert generated.generated_by == "factsheet" and "Pompeo" in generated.content_string
    assert not list((demo / "content").glob("speakers*")), "nothing is written into the docs folder"
    sections = [list(item)[0] for item in config.nav if isinstance(item, dict)]
    assert sections == [title for title, path in SECTIONS if path in uris]
    assert sections[:4] == ["Home", "Timeline", "Speakers", "Sources"] and "Data" in sections


def test_a_page_written_by_hand_replaces_the_generated_one(demo, caplog):
    write(demo / "content/downloads.md", "# Our own downloads page\n")
    config, plugin = started(demo)
    with caplog.at_level(logging.INFO):
        files = on_files(config)
    assert files.get_file_from_path("downloads.md").generated_by is None
    assert "written by hand" in caplog.text


def test_a_bad_record_is_a_warning_and_a_placeholder(demo, caplog):
    facts = demo / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    facts.write_text(facts.read_text("utf-8").replace("kind: indirect", "kind: drect", 1), "utf-8")
    config, plugin = started(demo, "serve")
    with caplog.at_level(logging.WARNING):
        files = on_files(config)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("buzzfeed-amazon-tiktok-ban.yaml" in w and "kind: expected one of" in w for w in warnings), warnings
    source = files.get_file_from_path("sources/buzzfeed-amazon-tiktok-ban.md").content_string
    assert "could not be read" in source or "problem" in source.lower()


def test_one_instance_keeps_its_state_across_serve_rebuilds(demo):
    config, plugin = started(demo, "serve")
    on_files(config)
    cache = plugin.cache
    assert cache, "serve keeps the serve cache"
    config2 = load_config(str(demo / "mkdocs.yml"))
    config2.plugins["factsheet"] = plugin  # what MkDocs does for a plugin with on_startup
    config2 = config2.plugins.on_config(config2)
    files = on_files(config2)
    assert plugin.cache is cache
    assert files.get_file_from_path("speakers/mike-pompeo.md").unchanged, "an unchanged page is not rebuilt"


def test_serve_watches_content_and_templates(demo):
    (demo / "templates").mkdir()
    config, plugin = started(demo, "serve")

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)
    server = plugin.on_serve(Server(), config=config, builder=None)
    assert server.watched == [str((demo / "content").resolve()), str((demo / "templates").resolve())]


def test_json_ld_goes_into_the_page_head(demo):
    config, plugin = started(demo)
    files = on_files(config)

    class Page:
        file = files.get_file_from_path("speakers/mike-pompeo.md")
        url = file.url
    out = plugin.on_post_page("<html><head><title>x</title></head><body></body></html>", page=Page, config=config)
    head = out.split("</head>")[0]
    assert '<script type="application/ld+json">' in head and '"Quotation"' in head


def test_a_misspelled_option_gets_a_did_you_mean(demo):
    text = (demo / "mkdocs.yml").read_text("utf-8").replace("templates: templates", "templtes: templates")
    (demo / "mkdocs.yml").write_text(text, "utf-8")
    from mkdocs.exceptions import Abort, ConfigurationError

    with pytest.raises((Abort, ConfigurationError, SystemExit)) if "strict: true" in text else _warns():
        load_config(str(demo / "mkdocs.yml"))


class _warns:
    """Without strict mode MkDocs only warns about an unknown option: the warning must carry the hint."""

    def __enter__(self):
        self.handler = logging.Handler()
        self.messages = []
        self.handler.emit = lambda record: self.messages.append(record.getMessage())
        logging.getLogger("mkdocs").addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        logging.getLogger("mkdocs").removeHandler(self.handler)
        assert any("did you mean 'templates'?" in m for m in self.messages), self.messages
        return False


def _material_index(entries):
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=["stemmer"], fields={"title": {"boost": 1000}})
    index.entries = list(entries)
    return index


def test_a_partial_rebuild_keeps_every_page_s_search_entries_in_build_order():
    from generator.publish.serving import SearchPieces

    pieces = SearchPieces()
    first = [{"location": "", "title": "Home"}, {"location": "#s-a", "text": "“é” \u2028 <b>"},
             {"location": "speakers/x/"}, {"location": "speakers/x/#s-b"}, {"location": "gone/"}]
    pieces.update(first, ["", "speakers/x/", "gone/"], {"", "speakers/x/", "gone/"})
    assert json.loads(pieces.docs()) == first
    built = [{"location": "speakers/x/", "text": "new"}]  # the edited page, which lost a section
    pieces.update(built, ["", "speakers/x/", "speakers/y/"], {"speakers/x/", "speakers/y/"})
    assert json.loads(pieces.docs()) == [first[0], first[1], {"location": "speakers/x/", "text": "new"}]
    assert "gone/" not in pieces.texts  # a page no longer in the site keeps no entries


def test_the_spliced_search_index_is_the_text_material_writes_for_the_whole_index():
    from generator.publish.serving import SearchPieces

    entries = [{"location": "", "title": "Home", "text": "Who said “what” — 10 ½ <script>"},
               {"location": "speakers/x/", "title": "X", "text": "a\nb", "boost": 2, "tags": ["t"]},
               {"location": "speakers/x/#s-1", "title": "X", "text": "c"}]
    whole = _material_index(entries).generate_search_index(None)
    pieces, index = SearchPieces(), _material_index(entries)
    pieces.update(index.entries, ["", "speakers/x/"], {"", "speakers/x/"})
    pieces.attach(index)
    assert index.entries == []  # the index holds no second copy of the entries
    assert index.generate_search_index(None) == whole
