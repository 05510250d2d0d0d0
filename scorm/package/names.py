"""Entry names: the rules that keep a name inside the package, and the junk that is skipped.

A zip entry name is just a string: zip tools do not decode URL escapes (`%2e%2e/` is a harmless literal
folder name), but Windows tools and browsers treat a backslash as a folder separator, and Windows strips
trailing dots and spaces from a name (`.. ` becomes `..`). The rules below judge a name the way the most
permissive consumer would read it, so no consumer can be led outside the package.
"""

from __future__ import annotations

import re
import unicodedata

from scorm.package import refusals as codes
from scorm.package.limits import Limits
from scorm.problems import Problem

# Finder, Windows Explorer and AppleDouble leave these behind; they are never course content.
JUNK_FOLDERS = frozenset({"__MACOSX"})
JUNK_FILES = frozenset({".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini"})
APPLEDOUBLE_PREFIX = "._"

_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
_SEPARATORS = re.compile(r"[/\\]")
_PATH_SYNTAX = re.compile(r"[/\\:]")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_entry_name(
    raw: str, limits: Limits, *, backslash_is_separator: bool = True
) -> tuple[str, list[Problem]]:
    """Normalise one entry name to a POSIX path relative to the package root.

    Returns the normalised name ("" for the root folder) and the problems with it. When a problem is an
    error the name must not be used. `backslash_is_separator` is true for zip entries (Windows tools write
    `folder\\file`); in a folder on disk a backslash is a literal character that no URL can reach.
    """
    structural = _structural_problem(raw, backslash_is_separator)
    if structural is not None:
        return "", [structural]
    splitter = _SEPARATORS if backslash_is_separator else re.compile("/")
    segments = [segment for segment in splitter.split(raw) if segment not in ("", ".")]
    name = "/".join(segments)
    problems = _segment_problems(raw, segments)
    if not problems:
        problems = _size_problems(raw, name, segments, limits)
    if not problems and "\\" in raw:
        problems = [_backslash_problem(raw, backslash_is_separator)]
    return name, problems


def is_junk(name: str) -> bool:
    """True for operating-system leftovers (`__MACOSX/`, `.DS_Store`, `Thumbs.db`, `._x` AppleDouble)."""
    segments = name.split("/")
    basename = segments[-1]
    return (
        any(segment in JUNK_FOLDERS for segment in segments)
        or basename in JUNK_FILES
        or basename.startswith(APPLEDOUBLE_PREFIX)
    )


def _structural_problem(raw: str, backslash_is_separator: bool) -> Problem | None:
    if not _is_plain_ascii(raw) and any(_is_unusable_character(char) for char in raw):
        shown = raw.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        return codes.error(
            codes.BAD_CHARACTER,
            "the name contains a control character, a NUL byte, a text-direction override or bytes that "
            "are not valid text; "
            "rename the file using printable characters",
            shown,
        )
    if not backslash_is_separator:
        return _rooted_problem(raw.replace("\\", "_"), raw)
    return _rooted_problem(raw, raw)


def _rooted_problem(judged: str, raw: str) -> Problem | None:
    if re.match(r"^[/\\]{2}", judged):
        return codes.error(
            codes.NETWORK_PATH,
            "the name is a network (UNC) path like \\\\server\\share; package entries must be relative paths",
            raw,
        )
    if _DRIVE_LETTER.match(judged):
        return codes.error(
            codes.DRIVE_LETTER,
            "the name starts with a Windows drive letter; package entries must be relative paths",
            raw,
        )
    if judged[:1] in ("/", "\\"):
        return codes.error(
            codes.ABSOLUTE_PATH,
            "the name is an absolute path; package entries must be relative to the package root",
            raw,
        )
    return None


def _segment_problems(raw: str, segments: list[str]) -> list[Problem]:
    plain = _is_plain_ascii(raw)  # printable ASCII is its own NFC and NFKC form
    for segment in segments:
        if _collapses_to_dots(segment):
            return [codes.error(codes.PATH_ESCAPES, _escape_message(raw, segment), raw)]
        if plain:
            continue
        compatible = unicodedata.normalize("NFKC", segment)
        if compatible != segment and (_collapses_to_dots(compatible) or _PATH_SYNTAX.search(compatible)):
            return [
                codes.error(
                    codes.LOOKALIKE_SYNTAX,
                    f"the path segment {segment!r} uses look-alike characters that Unicode compatibility "
                    f"normalisation turns into path syntax ({compatible!r}); rename it with plain characters",
                    raw,
                )
            ]
    name = "/".join(segments)
    if not plain and unicodedata.normalize("NFC", name) != name:
        # macOS writes decomposed (NFD) names; a manifest or URL spells them composed, and a
        # normalisation-insensitive file system would merge two spellings into one file.
        return [
            codes.error(
                codes.NOT_NFC,
                "the name is not in Unicode composed form (NFC), so links to it may not match; "
                "re-create the package with composed file names",
                raw,
            )
        ]
    return []


def _is_unusable_character(char: str) -> bool:
    # Cc: control characters and NUL; Cs: lone surrogates (bytes that were not valid text);
    # bidirectional overrides let `lmth.exe` display as `exe.html` (Trojan Source, CVE-2021-42574).
    return unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS


def _is_plain_ascii(text: str) -> bool:
    """Printable ASCII only: the common case, which needs no per-character Unicode lookups."""
    return text.isascii() and text.isprintable()


def _escape_message(raw: str, segment: str) -> str:
    lead = "the path goes up out of the package, so extracting it would write outside the package folder"
    if segment != "..":
        return f"{lead}: Windows drops trailing dots and spaces, so {segment!r} means '..'"
    if "\\" in raw:
        return (
            f"{lead} ('..' between backslashes, which Windows tools and browsers read as folder separators)"
        )
    return f"{lead} ('..')"


def _collapses_to_dots(segment: str) -> bool:
    """`..` and the spellings Windows reads as it: `.. `, `...`, `. .` (trailing dots and spaces dropped)."""
    return segment != "." and set(segment) <= {".", " "} and "." in segment


def _size_problems(raw: str, name: str, segments: list[str], limits: Limits) -> list[Problem]:
    if not segments:
        return []  # the root folder itself; callers decide whether an empty file name is an error
    if len(name.encode("utf-8", "surrogatepass")) > limits.max_path_bytes:
        return [
            codes.error(
                codes.PATH_TOO_LONG,
                f"the path is longer than {limits.max_path_bytes} bytes",
                _shorten(raw),
            )
        ]
    for segment in segments:
        if len(segment.encode("utf-8", "surrogatepass")) > limits.max_segment_bytes:
            return [
                codes.error(
                    codes.SEGMENT_TOO_LONG,
                    f"a file or folder name is longer than {limits.max_segment_bytes} bytes, "
                    "more than file systems allow",
                    _shorten(raw),
                )
            ]
    if len(segments) > limits.max_depth:
        return [
            codes.error(codes.PATH_TOO_DEEP, f"the path is more than {limits.max_depth} folders deep", raw)
        ]
    return []


def _backslash_problem(raw: str, backslash_is_separator: bool) -> Problem:
    if backslash_is_separator:
        return codes.warning(
            codes.BACKSLASH,
            "the name uses backslashes as folder separators (a Windows zip tool); they are read as '/'",
            raw,
        )
    return codes.error(
        codes.BACKSLASH,
        "the file name contains a backslash, which browsers read as a folder separator, so no link can "
        "reach it; rename the file",
        raw,
    )


def _shorten(raw: str) -> str:
    return raw if len(raw) <= 200 else raw[:200] + "…"
