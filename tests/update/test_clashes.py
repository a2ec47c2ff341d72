"""settle_clashes: what cannot be placed as merged goes beside, on a name nothing uses."""

from __future__ import annotations

from scaffold.git.trees import regular_file, symlink
from scaffold.render.project_writer import PathState
from scaffold.update.clashes import settle_clashes
from scaffold.update.merging import FileMerge, Outcome

NEW = regular_file(b"template\n")
MINE = regular_file(b"mine\n")


def disk(states: dict[str, PathState]):
    return lambda path: states.get(path, PathState("missing"))


def no_files(folder: str) -> list[str]:
    return []


def test_template_file_where_your_folder_stays_goes_beside() -> None:
    files = [
        FileMerge("docs", Outcome.ADDED, NEW),
        FileMerge("docs/mine.md", Outcome.KEPT, MINE),
    ]
    settled = settle_clashes(files, {"docs/mine.md": MINE}, disk({}), no_files)
    assert settled[0].outcome is Outcome.CONFLICTED
    assert (settled[0].entry, settled[0].leftover_path, settled[0].leftover) == (
        None,
        "docs.new-from-template",
        NEW,
    )
    assert settled[1] == files[1]


def test_template_file_below_your_symlink_goes_below_a_folder_beside_it() -> None:
    link = symlink("/elsewhere")
    files = [FileMerge("data", Outcome.KEPT, link), FileMerge("data/x.csv", Outcome.ADDED, NEW)]
    settled = settle_clashes(files, {"data": link}, disk({}), no_files)
    assert settled[1].leftover_path == "data.new-from-template/x.csv"


def test_untracked_file_on_disk_blocks_a_parent_folder() -> None:
    files = [FileMerge("build/out.txt", Outcome.ADDED, NEW)]
    states = {"build/out.txt": PathState("blocked", "build")}
    settled = settle_clashes(files, {}, disk(states), no_files)
    assert settled[0].leftover_path == "build.new-from-template/out.txt"


def test_folder_emptied_by_the_update_is_no_obstacle_but_one_with_your_files_is() -> None:
    files = [
        FileMerge("docs", Outcome.ADDED, NEW),
        FileMerge("docs/a.md", Outcome.REMOVED, None),
    ]
    ours = {"docs/a.md": regular_file(b"a\n")}
    states = {"docs": PathState("folder")}
    assert settle_clashes(files, ours, disk(states), lambda folder: ["docs/a.md"]) == files
    with_ignored = settle_clashes(
        files, ours, disk(states), lambda folder: ["docs/a.md", "docs/_build/x"]
    )
    assert with_ignored[0].outcome is Outcome.CONFLICTED


def test_leftover_name_in_use_gets_a_number() -> None:
    files = [
        FileMerge(
            ".env", Outcome.CONFLICTED, MINE, leftover_path=".env.new-from-template", leftover=NEW
        )
    ]
    states = {".env.new-from-template": PathState("file")}
    settled = settle_clashes(files, {".env": MINE}, disk(states), no_files)
    assert settled[0].leftover_path == ".env.new-from-template.2"
