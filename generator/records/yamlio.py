"""Safe YAML reading with locations: the one place the project parses YAML typed by people.

Only the safe loader is used (``!!python/object`` and friends are refused, never run), the
C-accelerated one when PyYAML has it (about six times faster). Duplicate keys and documents
that expand to absurd sizes through aliases are refused with the line where they occur.
"""
from __future__ import annotations

import datetime as dt
import re

import yaml

from generator.errors import FactsheetError, Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A document whose aliases expand it by more than this many nodes is refused ("billion laughs"),
# and one whose aliases add more than this many characters of text (one long anchored string
# aliased hundreds of times: an "amplification"). A document without aliases is never refused
# for its size here: it is no bigger than its file, which has its own limit, so a file the
# program wrote is never refused by its reader.
MAX_EXPANDED_NODES = 200_000
MAX_EXPANDED_CHARS = 1_000_000


class Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader (C-accelerated where available); a subclass so that nothing is shared."""


def _hint_for(message: str) -> str | None:
    if "\\t" in message or "tab character" in message:
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not determine a constructor" in message:
        return "tags such as !!python/object are not allowed; write plain values"
    if "mapping values are not allowed" in message:
        return "quote the value if it contains ': '"
    if "found undefined alias" in message:
        return "define the anchor (&name) before using it (*name)"
    if "control characters are not allowed" in message:
        return "remove the control character (a NUL byte or similar); YAML files are plain text"
    return "check the quotes, brackets and indentation on this line and the one before"


def _problem(path: str, exc: yaml.YAMLError, text: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    if isinstance(exc, yaml.reader.ReaderError):  # no mark: a position in the text instead
        problem = f"character {exc.character!r} is not allowed: {exc.reason}" \
            if isinstance(exc.character, str) else f"character #x{exc.character:04x} is not allowed: {exc.reason}"
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    problem = " ".join(str(problem).split())  # one line, whatever the parser says
    return Problem(path, f"invalid YAML: {problem}", line, col, hint=_hint_for(str(exc)))


def _problems(path: str, exc: yaml.YAMLError, text: str = "") -> list[Problem]:
    """A syntax error where the parser noticed it and, when that is lines below, where it began.

    An unclosed quote or bracket is noticed where the document ends or the next record starts;
    the mistake is where PyYAML's context (the quoted text, the flow sequence) starts.
    """
    found = _problem(path, exc, text)
    mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    what = re.sub(r"^while \w+ (a |an )?", "", " ".join(str(getattr(exc, "context", None) or "").split()))
    if not (mark and context and what and context.line < mark.line):
        return [found]
    return [found, Problem(path, f"invalid YAML: the error at line {mark.line + 1} is in the {what} that starts here",
                           context.line + 1, context.column + 1,
                           hint="look for an unclosed quote or bracket, or a wrong indentation, from here on")]


def _bad_scalars(node: yaml.Node, loader: yaml.BaseLoader) -> list[tuple[yaml.ScalarNode, str | None, Exception]]:
    """Every scalar (a date such as 2020-02-31) that the safe constructor cannot build, with its key and error."""
    stack: list[tuple[yaml.Node, str | None]] = [(node, None)]
    seen: set[int] = set()
    bad = []
    while stack:
        current, key = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except Exception as exc:  # noqa: BLE001 - whatever the constructor chokes on
                bad.append((current, key, exc))
        elif isinstance(current, yaml.MappingNode):
            for k, v in reversed(current.value):
                stack.extend([(v, getattr(k, "value", None)), (k, None)])
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, key) for child in reversed(current.value))
    return bad


def _value_problem(path: str, bad: yaml.ScalarNode, key: str | None, exc: Exception) -> Problem:
    mark = bad.start_mark
    detail = "not a value of its type" if isinstance(exc, (AttributeError, KeyError, IndexError)) else exc
    detail = " ".join(str(detail).split())
    return Problem(path, f"invalid value {bad.value!r}: {detail}", mark.line + 1, mark.column + 1,
                   field=key if isinstance(key, str) else None,
                   hint="write dates as YYYY-MM-DD, a real day of the calendar"
                   if bad.tag.endswith(":timestamp") else "remove the !!tag, or write a value of its type")


def _suspect(node: yaml.Node) -> bool:
    """False when a node graph with no aliases (a tree) is certainly fine: no duplicate key.

    One cheap pass, no per-node bookkeeping: without aliases a document expands to exactly its
    own nodes, so its size is never a problem. It never raises; when it finds anything,
    :func:`_check` walks again and reports exactly what it always reported.
    """
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        if isinstance(current, mapping):
            keys: set[str] = set()
            for key, value in current.value:
                if isinstance(key, scalar):
                    if key.value in keys:
                        return True
                    keys.add(key.value)
                else:
                    push(key)
                if not isinstance(value, scalar):
                    push(value)
        elif isinstance(current, sequence):
            push_all = [child for child in current.value if not isinstance(child, scalar)]
            stack.extend(push_all)
    return False


def _check(node: yaml.Node, path: str) -> None:
    """Refuse duplicate keys and alias bombs, walking the composed node graph once.

    Each node's expanded size (nodes, and characters of text) is compared with the number of
    distinct nodes (and characters) below it so far: only what aliases add counts.
    """
    sizes: dict[int, int] = {}
    chars: dict[int, int] = {}
    literal_chars = 0
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        if not done:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
        own = len(current.value) if isinstance(current, yaml.ScalarNode) else 0
        literal_chars += own
        chars[key] = own + sum(chars.get(id(c), 0) for c in children)
        if sizes[key] > len(sizes) + MAX_EXPANDED_NODES:
            mark = current.start_mark
            raise FactsheetError(Problem(
                path, f"document expands to more than {MAX_EXPANDED_NODES:,} values through aliases",
                mark.line + 1, mark.column + 1, hint="remove the nested anchors (&) and aliases (*)"))
        if chars[key] > literal_chars + MAX_EXPANDED_CHARS:
            mark = current.start_mark
            raise FactsheetError(Problem(
                path, f"aliases repeat text here into more than {MAX_EXPANDED_CHARS:,} characters",
                mark.line + 1, mark.column + 1, hint="write the text out where it is needed instead of "
                                                     "aliasing (*) one long anchored (&) value many times"))
        if isinstance(current, yaml.MappingNode):
            _check_duplicates(current, path)


def _check_duplicates(node: yaml.MappingNode, path: str) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.value in seen:
            mark = key_node.start_mark
            raise FactsheetError(Problem(
                path, f"duplicate key (first given on line {seen[key_node.value]})",
                mark.line + 1, mark.column + 1, field=key_node.value,
                hint="keep one of the two; YAML would silently drop the first"))
        seen[key_node.value] = key_node.start_mark.line + 1


def compose(text: str, path: str) -> yaml.Node | None:
    """Parse ``text`` into a node graph (with line numbers), refusing what :func:`load` refuses."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise FactsheetError(_problems(path, exc, text)) from None
    finally:
        loader.dispose()
    # An alias is written '*name': text without a '*' composes to a tree, checked in one cheap pass.
    if node is not None and not (isinstance(text, str) and "*" not in text and not _suspect(node)):
        _check(node, path)
    return node


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE, _VALUE = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"


class _Slow(Exception):
    """The tree holds something :func:`_construct_tree` leaves to the safe constructor."""


def _construct_tree(node: yaml.Node, loader: yaml.BaseLoader) -> object:
    """What the safe constructor builds from a tree (no aliases), made directly for the common case.

    Plain mappings, sequences and text are built here; any other scalar (numbers, dates, null)
    goes to the safe constructor itself. Anything else (merge keys, !!set, !!omap, unknown tags,
    a failing scalar, very deep nesting) raises :class:`_Slow`, and the caller builds the whole
    document the usual way, so results and errors are exactly the safe constructor's.
    """
    cls, tag = node.__class__, node.tag
    if cls is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        try:
            return loader.construct_object(node)
        except Exception as exc:  # noqa: BLE001 - reported by the usual path, exactly as before
            raise _Slow from exc
    if cls is yaml.MappingNode and tag == _MAP:
        out = {}
        for key, value in node.value:
            if key.__class__ is not yaml.ScalarNode or key.tag in (_MERGE, _VALUE):
                raise _Slow
            out[_construct_tree(key, loader)] = _construct_tree(value, loader)
        return out
    if cls is yaml.SequenceNode and tag == _SEQ:
        return [_construct_tree(child, loader) for child in node.value]
    raise _Slow


def construct(node: yaml.Node | None, path: str, *, tree: bool = False,
              problems: list[Problem] | None = None) -> object:
    """Turn a composed node into Python values with the safe constructor.

    ``tree``: the document has no aliases (no node is shared), so the common values can be
    built directly (:func:`_construct_tree`), several times faster and with the same result.
    ``problems``: values the constructor cannot build (2020-02-31) are reported there, every one,
    and read as null, so that the rest of the document is still checked; without it the first
    one is raised.
    """
    if node is None:
        return None
    if tree:
        loader = Loader("")
        try:
            return _construct_tree(node, loader)
        except (_Slow, RecursionError):
            pass
        finally:
            loader.dispose()
    loader = Loader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise FactsheetError(_problem(path, exc)) from None
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError) as exc:  # "2020-02-31", "!!timestamp x"
        bad = _bad_scalars(node, Loader(""))
        if not bad:
            raise FactsheetError(Problem(path, f"invalid value: {exc}", node.start_mark.line + 1)) from None
        if problems is None:
            raise FactsheetError(_value_problem(path, *bad[0])) from None
        problems.extend(_value_problem(path, *found) for found in bad)
        for scalar, _, _ in bad:  # the node graph is this call's own (composed for it): read as null
            scalar.tag, scalar.value = "tag:yaml.org,2002:null", ""
        return construct(node, path, tree=tree)
    finally:
        loader.dispose()


def load(text: str, path: str, problems: list[Problem] | None = None) -> tuple[object, yaml.Node | None]:
    """Load one YAML document safely; return the data and its node graph (for locations).

    With ``problems``, values that cannot be built are reported there and read as null
    (:func:`construct`); syntax errors are always raised.
    """
    node = compose(text, path)
    return construct(node, path, tree=isinstance(text, str) and "*" not in text, problems=problems), node


def locate_node(node: yaml.Node | None, *keys: str | int) -> yaml.Node | None:
    """The node at ``keys`` inside ``node``, or the deepest one that exists on the way."""
    best = node
    for key in keys:
        if isinstance(best, yaml.MappingNode):
            nxt = next((v for k, v in best.value if getattr(k, "value", None) == key), None)
            if nxt is None:
                break
            best = nxt
        elif isinstance(best, yaml.SequenceNode) and isinstance(key, int) and key < len(best.value):
            best = best.value[key]
        else:
            break
    return best


def locate(node: yaml.Node | None, *keys: str | int) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the value at ``keys`` inside ``node``, as deep as it exists."""
    best = locate_node(node, *keys)
    if best is None:
        return None, None
    return best.start_mark.line + 1, best.start_mark.column + 1


def key_mark(node: yaml.Node | None, *keys: str | int) -> tuple[int | None, int | None]:
    """Line and column of the key (not the value) at the end of ``keys``, for "field: ..." messages."""
    parent = locate_node(node, *keys[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if getattr(k, "value", None) == keys[-1]:
                return k.start_mark.line + 1, k.start_mark.column + 1
    return locate(parent) if parent is not None else (None, None)


def key_line(node: yaml.Node | None, *keys: str | int) -> int | None:
    """Line of the key at the end of ``keys``."""
    return key_mark(node, *keys)[0]


def as_date(value: object) -> dt.date | None:
    """A YAML date value (or ISO text) as a date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
