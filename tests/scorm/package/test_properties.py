"""Property: whatever a zip holds, opening, reading and extracting it either works, staying inside the
destination, or raises PackageRefused. Never another exception."""

from __future__ import annotations

import stat
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm.package import Limits, open_package
from scorm.problems import PackageRefused
from tests.scorm.package.zip_builder import Entry, build_zip

# Characters that matter to path handling, plus ordinary and look-alike ones.
NAME_ALPHABET = st.sampled_from(list("ab./\\:%~ \x00\n\u00e9\u0301\uff0e\uff0f\u2024C_") + ["..", "__MACOSX"])
MODES = st.sampled_from(
    [None, stat.S_IFREG | 0o644, stat.S_IFDIR | 0o755, stat.S_IFLNK | 0o777, stat.S_IFIFO | 0o644, 0o4755]
)
METHODS = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
FORGERIES = st.one_of(
    st.none(),
    st.fixed_dictionaries({"file_size": st.integers(0, 5000)}),
    st.fixed_dictionaries({"CRC": st.integers(0, 2**32 - 1)}),
    st.fixed_dictionaries({"flag_bits": st.sampled_from([0x1, 0x20, 0x40, 0x800])}),
    st.fixed_dictionaries({"compress_type": st.sampled_from([0, 8, 9, 12, 14, 99])}),
)
ENTRIES = st.lists(
    st.builds(
        Entry,
        name=st.lists(NAME_ALPHABET, min_size=1, max_size=12).map("".join),
        data=st.binary(max_size=300),
        mode=MODES,
        compression=METHODS,
        forge=FORGERIES,
    ),
    max_size=8,
)
SMALL_LIMITS = Limits(max_entries=6, max_total_bytes=1500, max_path_bytes=20, max_depth=4)


def exercise(path: Path, workdir: Path, limits: Limits) -> None:
    """Open, read everything, extract; assert what must hold when the package is accepted."""
    try:
        with open_package(path, limits) as package:
            names = package.names()
            for name in names:
                assert name and not name.startswith("/") and "\\" not in name
                assert all(segment not in ("", ".", "..") for segment in name.split("/"))
                package.read(name)
            package.extract_to(workdir / "out")
    except PackageRefused as refused:
        assert refused.problems and any(problem.is_error for problem in refused.problems)
        assert not (workdir / "out").exists()
        return
    written = sorted(
        str(item.relative_to(workdir / "out")) for item in (workdir / "out").rglob("*") if item.is_file()
    )
    assert written == sorted(names)
    assert sorted(item.name for item in workdir.iterdir()) == ["out", "package.zip"]


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile warns while building such zips
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=ENTRIES, small_limits=st.booleans())
def test_any_built_zip_opens_or_is_refused_cleanly(entries, small_limits):
    with tempfile.TemporaryDirectory() as workdir:
        path = build_zip(Path(workdir) / "package.zip", entries)
        exercise(path, Path(workdir), SMALL_LIMITS if small_limits else Limits())


@settings(max_examples=200, deadline=None)
@given(
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)), max_size=6),
    cut=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_any_damaged_zip_opens_or_is_refused_cleanly(edits, cut):
    with tempfile.TemporaryDirectory() as workdir:
        path = build_zip(
            Path(workdir) / "package.zip",
            [
                Entry("imsmanifest.xml", b"<manifest>" * 30),
                Entry("content/index.html", b"<html>" * 50, compression=zipfile.ZIP_STORED),
                Entry("content/app.js", bytes(range(256)) * 2, compression=zipfile.ZIP_BZIP2),
            ],
        )
        data = bytearray(path.read_bytes())
        for offset, replacement in edits:
            at = offset % len(data)
            data[at : at + len(replacement)] = replacement
        if cut is not None:
            data = data[: cut % (len(data) + 1)]
        path.write_bytes(bytes(data))
        exercise(path, Path(workdir), Limits())


# Any byte but "/" and NUL can be in a Linux file name; these are the interesting ones.
FOLDER_NAME = st.lists(
    st.sampled_from(list("ab.\\: \n\x01\u00e9\u0301\uff0e\u202e") + ["..x", "__MACOSX", ".DS_Store"]),
    min_size=1,
    max_size=10,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(
    tree=st.lists(
        st.tuples(st.lists(FOLDER_NAME, max_size=3), FOLDER_NAME, st.binary(max_size=50)), max_size=6
    )
)
def test_any_folder_opens_or_is_refused_cleanly(tree):
    with tempfile.TemporaryDirectory() as workdir:
        root = Path(workdir) / "package"
        root.mkdir()
        for folders, file_name, data in tree:
            if file_name in (".", ".."):
                continue
            folder = root.joinpath(*[name for name in folders if name not in (".", "..")])
            try:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / file_name).write_bytes(data)
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                continue  # a file and a folder wanted the same name; the tree is what it is
        try:
            with open_package(root) as package:
                for name in package.names():
                    assert (root / name).is_file()
                    assert package.read(name) == (root / name).read_bytes()
                package.extract_to(Path(workdir) / "out")
        except PackageRefused as refused:
            assert any(problem.is_error for problem in refused.problems)
            assert not (Path(workdir) / "out").exists()
