"""Launch paths and URLs: xml:base joining (IMS CP 1.1.4, XML Base) and item parameters (SCORM CAM).

Paths here are package-relative URL paths ("shared/launchpage.html?content=playing"). A path that
climbs out of the package root, or an absolute URL, is reported as not inside the package.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit


def is_external(href: str) -> bool:
    """An absolute URL (http:, https:, …) or a network path (//host/…): not a file in the package."""
    parts = urlsplit(href)
    # a one-letter "scheme" is a Windows drive letter (C:/...), which is a local path, not a URL
    return len(parts.scheme) > 1 or href.startswith("//")


def join_bases(*bases: str | None) -> str:
    """Join xml:base values outermost first. Each names a folder, so a missing trailing slash is
    added (real exports write xml:base="resources"); an absolute base restarts the chain."""
    joined = ""
    for base in bases:
        if not base:
            continue
        folder = base if base.endswith("/") else base + "/"
        joined = folder if is_external(folder) or folder.startswith("/") else joined + folder
    return joined


def resolve_href(base: str, href: str) -> str:
    """base + href as a URL path with its query/fragment kept, normalised ("a/./b/../c" -> "a/c")."""
    # Windows exports sometimes write "content\\page.html"; browsers read a backslash in a URL path as "/".
    href = _slashes(href)
    combined = href if is_external(href) or href.startswith("/") else _slashes(base) + href
    if is_external(combined):
        return combined
    path, _, rest = _split_path(combined)
    normal = posixpath.normpath(path) if path else ""
    if path.endswith("/") and normal not in ("", "."):
        normal += "/"
    return (normal if normal != "." else "") + rest


def package_path(url_path: str) -> str | None:
    """The file inside the package that a resolved href points at, or None if it is outside the package."""
    if is_external(url_path):
        return None
    path, _, _ = _split_path(url_path)
    decoded = unquote(path)
    if decoded.startswith("/") or decoded == ".." or decoded.startswith("../") or decoded[1:2] == ":":
        return None
    return decoded


def launch_url(resource_url: str, parameters: str | None) -> str:
    """Append an item's parameters to a resource URL as SCORM CAM (item parameters) prescribes.

    Leading '?' and '&' are dropped from the parameters; parameters starting with '#' are a fragment,
    ignored if the URL already has one; otherwise they join the query with '?' or '&'.
    """
    params = (parameters or "").strip().lstrip("?&")
    if not params:
        return resource_url
    before_fragment, hash_sign, fragment = resource_url.partition("#")
    if params.startswith("#"):
        return resource_url if hash_sign else resource_url + params
    separator = "&" if "?" in before_fragment else "?"
    return before_fragment + separator + params + (hash_sign + fragment)


def _slashes(url: str) -> str:
    path, _, rest = _split_path(url)
    return path.replace("\\", "/") + rest


def _split_path(url: str) -> tuple[str, str, str]:
    """(path, separator, '?query#fragment') of a relative URL."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut : cut + 1], url[cut:]
