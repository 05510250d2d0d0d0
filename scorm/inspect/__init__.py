"""One call to look at a package: open it safely, find and read the manifest, validate it.

inspect_package(path, limits=None, strict=False, xsd_dir=None, *, check_files=False,
                on_progress=None) -> PackageReport
PackageReport: version, edition, title, organizations, scos, launchables, counts, problems,
               importable, manifest, to_dict()
"""

from scorm.inspect.report import LaunchEntry, PackageReport
from scorm.inspect.run import inspect_package, read_every_file

__all__ = ["LaunchEntry", "PackageReport", "inspect_package", "read_every_file"]
