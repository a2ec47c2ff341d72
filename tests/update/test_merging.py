"""Per-path merge outcomes over (content, mode, kind), and the entries written beside a conflict."""

from __future__ import annotations

from scaffold.git.trees import regular_file, symlink
from scaffold.update.merging import Outcome, merge_file

TEXT = regular_file(b"a\nb\nc\nd\ne\n")
SCRIPT = regular_file(b"a\nb\nc\nd\ne\n", executable=True)


def test_binary_conflict_keeps_yours_and_names_the_templates_copy() -> None:
    theirs = regular_file(b"\x89PNG\0new")
    merged = merge_file("logo.png", regular_file(b"\x89PNG\0old"), regular_file(b"my\n"), theirs)
    assert merged.outcome is Outcome.CONFLICTED
    assert merged.content == b"my\n"
    assert (merged.leftover_path, merged.leftover) == ("logo.png.new-from-template", theirs)


def test_rej_conflict_keeps_yours_and_writes_the_templates_hunks() -> None:
    merged = merge_file(
        "a.cfg",
        regular_file(b"key = 1\n"),
        regular_file(b"key = 9\n"),
        regular_file(b"key = 2\n"),
        conflict_style="rej",
    )
    assert merged.content == b"key = 9\n"
    assert merged.leftover_path == "a.cfg.rej"
    assert merged.leftover is not None and b"-key = 1\n+key = 2\n" in merged.leftover.content
    assert merged.stages is None  # --conflict rej keeps the index as it is


def test_inline_conflict_carries_the_three_stages_for_the_index() -> None:
    base, ours, theirs = (regular_file(f"key = {n}\n".encode()) for n in (1, 9, 2))
    merged = merge_file("a.cfg", base, ours, theirs)
    assert merged.outcome is Outcome.CONFLICTED
    assert merged.stages == (base, ours, theirs)


def test_clean_merge_writes_nothing_beside() -> None:
    base = TEXT
    ours = regular_file(base.content.replace(b"a", b"A"))
    theirs = regular_file(base.content.replace(b"e", b"E"))
    merged = merge_file("f", base, ours, theirs)
    assert (merged.outcome, merged.content) == (Outcome.MERGED, b"A\nb\nc\nd\nE\n")
    assert merged.leftover_path is None


def test_template_gaining_the_executable_bit_updates_an_untouched_file() -> None:
    merged = merge_file("run.sh", TEXT, TEXT, SCRIPT)
    assert (merged.outcome, merged.entry) == (Outcome.UPDATED, SCRIPT)
    assert "executable file in the template" in merged.reason


def test_users_chmod_is_kept_like_an_edit() -> None:
    merged = merge_file("run.sh", TEXT, SCRIPT, TEXT)
    assert (merged.outcome, merged.entry) == (Outcome.KEPT, SCRIPT)


def test_users_chmod_and_templates_content_change_merge() -> None:
    theirs = regular_file(b"a\nb\nc\nd\nE\n")
    merged = merge_file("run.sh", TEXT, SCRIPT, theirs)
    assert merged.outcome is Outcome.MERGED
    assert merged.entry == regular_file(theirs.content, executable=True)


def test_users_edit_and_templates_chmod_merge() -> None:
    ours = regular_file(b"A\nb\nc\nd\ne\n")
    merged = merge_file("run.sh", TEXT, ours, SCRIPT)
    assert merged.entry == regular_file(ours.content, executable=True)


def test_file_turned_into_a_symlink_by_the_template_arrives() -> None:
    merged = merge_file("README", TEXT, TEXT, symlink("docs/README.md"))
    assert (merged.outcome, merged.entry) == (Outcome.UPDATED, symlink("docs/README.md"))


def test_users_symlink_is_kept_like_an_edit() -> None:
    merged = merge_file("README", TEXT, symlink("docs/README.md"), TEXT)
    assert (merged.outcome, merged.entry) == (Outcome.KEPT, symlink("docs/README.md"))


def test_users_edit_against_templates_symlink_is_a_conflict_with_both_kept() -> None:
    ours = regular_file(b"mine\n")
    merged = merge_file("README", TEXT, ours, symlink("docs/README.md"))
    assert merged.outcome is Outcome.CONFLICTED
    assert merged.entry == ours
    assert (merged.leftover_path, merged.leftover) == (
        "README.new-from-template",
        symlink("docs/README.md"),
    )
    assert merged.stages == (TEXT, ours, symlink("docs/README.md"))


def test_symlink_retargeted_on_both_sides_is_a_conflict() -> None:
    merged = merge_file("link", symlink("a"), symlink("b"), symlink("c"))
    assert (merged.outcome, merged.entry) == (Outcome.CONFLICTED, symlink("b"))


def test_skip_if_exists_keeps_the_users_file_even_when_only_the_template_changed_it() -> None:
    theirs = regular_file(b"v2\n")
    merged = merge_file("local.cfg", TEXT, TEXT, theirs, keep_existing=True)
    assert (merged.outcome, merged.entry) == (Outcome.KEPT, TEXT)


def test_skip_if_exists_changed_on_both_sides_keeps_the_users_file_without_markers() -> None:
    ours = regular_file(b"mine\n")
    merged = merge_file("local.cfg", TEXT, ours, regular_file(b"v2\n"), keep_existing=True)
    assert (merged.outcome, merged.entry, merged.leftover_path) == (Outcome.KEPT, ours, None)


def test_skip_if_exists_file_the_user_deleted_is_written_again() -> None:
    theirs = regular_file(b"v2\n")
    merged = merge_file("local.cfg", TEXT, None, theirs, keep_existing=True)
    assert (merged.outcome, merged.entry) == (Outcome.ADDED, theirs)


def test_untracked_file_in_the_way_is_kept_and_the_templates_goes_beside() -> None:
    ours, theirs = regular_file(b"my secret\n"), regular_file(b"template\n")
    merged = merge_file(".env", None, ours, theirs, untracked=True)
    assert merged.outcome is Outcome.CONFLICTED
    assert (merged.entry, merged.leftover) == (ours, theirs)
    assert merged.stages is None  # an ignored file is not put into the index
