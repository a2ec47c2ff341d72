"""Per-file merge outcomes, and the files written beside a conflict."""

from __future__ import annotations

from scaffold.update.merging import Outcome, merge_file


def test_binary_conflict_keeps_yours_and_names_the_templates_copy() -> None:
    merged = merge_file("logo.png", b"\x89PNG\0old", b"my text\n", b"\x89PNG\0new")
    assert merged.outcome is Outcome.CONFLICTED
    assert merged.content == b"my text\n"
    assert (merged.leftover_path, merged.leftover) == (
        "logo.png.new-from-template",
        b"\x89PNG\0new",
    )


def test_rej_conflict_keeps_yours_and_writes_the_templates_hunks() -> None:
    merged = merge_file("a.cfg", b"key = 1\n", b"key = 9\n", b"key = 2\n", conflict_style="rej")
    assert merged.content == b"key = 9\n"
    assert merged.leftover_path == "a.cfg.rej"
    assert b"-key = 1\n+key = 2\n" in merged.leftover


def test_clean_merge_writes_nothing_beside() -> None:
    base = b"a\nb\nc\nd\ne\n"
    merged = merge_file("f", base, base.replace(b"a", b"A"), base.replace(b"e", b"E"))
    assert (merged.outcome, merged.content) == (Outcome.MERGED, b"A\nb\nc\nd\nE\n")
    assert merged.leftover_path is None
