"""Names that clash once written to a file system: duplicates, case twins, a file where a folder must be."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from scorm.package import refusals as codes
from scorm.problems import Problem


def find_collisions(file_names: Iterable[str], folder_names: Iterable[str] = ()) -> list[Problem]:
    """Every clash among normalised names (files in package order, folders from explicit folder entries).

    A duplicate is an error: zip readers disagree on which copy wins, so a validator and the extractor
    could see different files. A case twin is only a warning: our Linux store keeps both, but a
    case-insensitive disk (Windows, macOS) would hold only one.
    """
    problems: list[Problem] = []
    seen_files: set[str] = set()
    by_folded: dict[str, str] = {}
    for name in file_names:
        if name in seen_files:
            problems.append(
                codes.error(
                    codes.DUPLICATE_NAME,
                    "the package holds two entries with this name (after normalising separators); "
                    "it is unclear which one is meant",
                    name,
                )
            )
            continue
        seen_files.add(name)
        folded = name.casefold()
        if folded in by_folded:
            problems.append(
                codes.warning(
                    codes.CASE_COLLISION,
                    f"this name differs from {by_folded[folded]!r} only in letter case; on a "
                    "case-insensitive disk one would overwrite the other",
                    name,
                )
            )
        else:
            by_folded[folded] = name
    problems.extend(_files_used_as_folders(seen_files, folder_names))
    return problems


def _files_used_as_folders(file_names: set[str], folder_names: Iterable[str]) -> list[Problem]:
    implied_folders: set[str] = set()

    def add_with_ancestors(folder: str) -> None:
        # Invariant: a folder in the set has all its ancestors in the set, so the walk can stop early.
        while folder and folder not in implied_folders:
            implied_folders.add(folder)
            folder = posixpath.dirname(folder)

    for folder in folder_names:
        add_with_ancestors(folder)
    for name in file_names:
        add_with_ancestors(posixpath.dirname(name))
    return [
        codes.error(
            codes.FILE_FOLDER_CLASH,
            "this name is a file and also a folder holding other entries; it cannot be both",
            name,
        )
        for name in sorted(file_names & implied_folders)
    ]
