"""Where things live in a content folder (:class:`Layout`) and what loading it gives (:class:`Sheet`)."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem
from generator.model import Article, Event, Person, Record
from generator.records import store


@dataclass(frozen=True)
class Layout:
    """Paths of a content folder."""

    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def facts(self) -> Path:
        return self.root / "facts"

    @property
    def people(self) -> Path:
        return self.root / "people.yaml"

    @property
    def events(self) -> Path:
        return self.root / "events.yaml"

    @property
    def overview(self) -> Path:
        return self.root / "index.md"

    @property
    def schemas(self) -> Path:
        return self.root / ".schemas"

    @property
    def lock(self) -> Path:
        return self.root / ".factsheet.lock"

    @functools.cached_property
    def _parent(self) -> tuple[str, str]:
        parent = str(self.root.parent)
        return parent, parent if parent.endswith(os.sep) else parent + os.sep

    def label(self, path: Path) -> str:
        """A path as messages show it: relative to the folder above content/ where possible."""
        (parent, prefix), text = self._parent, str(path)
        # String prefixes first: Path.relative_to for each of 20,000 files costs ~0.2 s a load.
        if parent == os.curdir and not os.path.isabs(text):
            return text
        if text.startswith(prefix):
            return text[len(prefix):]
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return text


@dataclass
class Sheet:
    """Everything loaded from a content folder, with every problem found on the way."""

    articles: dict[str, Article] = field(default_factory=dict)
    fact_files: list[store.FactFile] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # the editors' story events (events.yaml)
    overview: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        return [f for ff in self.fact_files for f in ff.records]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
