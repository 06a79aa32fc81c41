"""Hypothesis strategies the fuzz tests share (tests/foundation/test_fuzz.py for the
YAML loader, the story and expression parsers; tests/importing/test_import_fuzz.py for
the importers): a real file mutated, and a text strung from a grammar's pieces."""

from __future__ import annotations

from hypothesis import strategies as st


def mutated(seeds: list[str], pieces: list[str]):
    """A real file (one of `seeds`) with one to eight random edits: insert one of
    `pieces` or a short random text, delete a span, duplicate a span, or replace one."""
    edit = st.tuples(st.sampled_from(["insert", "delete", "duplicate", "replace"]), st.floats(0, 1), st.floats(0, 1),
                     st.one_of(st.sampled_from(pieces), st.text(max_size=12)))

    def apply(args):
        text, edits = args
        for kind, at, length, piece in edits:
            i = int(at * len(text))
            j = min(len(text), i + int(length * 40))
            if kind == "insert":
                text = text[:i] + piece + text[i:]
            elif kind == "delete":
                text = text[:i] + text[j:]
            elif kind == "duplicate":
                text = text[:j] + text[i:j] + text[j:]
            else:
                text = text[:i] + piece + text[j:]
        return text
    return st.tuples(st.sampled_from(seeds), st.lists(edit, min_size=1, max_size=8)).map(apply)


def pieces_text(pieces: list[str], max_size: int = 40):
    """A text of up to `max_size` items, each one of `pieces` or up to 4 random characters."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=4)), max_size=max_size).map("".join)
