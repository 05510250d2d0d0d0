"""Import benchmark: our checked, atomic extraction against plain zipfile.extractall, in the same run.

Generates a package of about 200 MB in about 3,000 files (small html/js/css that compress, plus
media-like random blobs that do not, all deflated as authoring tools do), then times
`open_package(...).extract_to(...)` (the whole import: directory checks, metered streams, atomic rename)
and `zipfile.ZipFile(...).extractall(...)`, interleaved, several times each. Aim: within 1.3x.

    .venv/bin/python bench/import_package.py [--repetitions N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from scorm.package import open_package

MB = 1_000_000
TEXT_FILES = 2_900
MEDIA_FILES = 100
TEXT_BYTES_RANGE = (4_000, 36_000)  # ~58 MB of markup and scripts
MEDIA_BYTES_RANGE = (800_000, 2_100_000)  # ~145 MB of video, audio and images
TEXT_SUFFIXES = [".html", ".js", ".css", ".xml", ".json"]
MEDIA_SUFFIXES = [".mp4", ".mp3", ".jpg", ".png", ".woff"]
WORDS = [
    "function",
    "var",
    "return",
    "this",
    "learner",
    "care",
    "certificate",
    "duty",
    "privacy",
    "dignity",
    "safeguarding",
    "person",
    "centred",
    "communication",
    "equality",
    "diversity",
    "inclusion",
    "health",
    "safety",
    "infection",
    "prevention",
    "div",
    "class",
    "span",
    "style",
    "width",
    "height",
    "margin",
    "padding",
    "color",
    "background",
    "slide",
    "layer",
    "trigger",
    "state",
    "visible",
    "hidden",
    "true",
    "false",
]


def generate_package(path: Path, seed: int = 2026) -> tuple[int, int]:
    """Write the benchmark package; return (file count, uncompressed bytes)."""
    rng = random.Random(seed)
    prose = " ".join(
        rng.choice(WORDS) + rng.choice(["", "", str(rng.randint(0, 999))]) for _ in range(400_000)
    )
    prose_bytes = prose.encode()
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("imsmanifest.xml", "<manifest identifier='bench'/>")
        for index in range(TEXT_FILES):
            size = rng.randint(*TEXT_BYTES_RANGE)
            start = rng.randrange(len(prose_bytes) - size)
            name = f"story_content/section{index % 40}/page{index}{rng.choice(TEXT_SUFFIXES)}"
            archive.writestr(name, prose_bytes[start : start + size])
            total += size
        for index in range(MEDIA_FILES):
            size = rng.randint(*MEDIA_BYTES_RANGE)
            name = f"story_content/media/asset{index}{rng.choice(MEDIA_SUFFIXES)}"
            archive.writestr(name, rng.randbytes(size))
            total += size
    return TEXT_FILES + MEDIA_FILES + 1, total


def extract_ours(package: Path, dest: Path) -> None:
    with open_package(package) as source:
        source.extract_to(dest)


def extract_plain(package: Path, dest: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(dest)


def timed(extract, package: Path, dest: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one extraction. CPU time is the steadier
    figure when other work shares the machine; wall time includes waiting for the disk."""
    os.sync()  # start each run with no dirty pages from the previous one
    wall, cpu = time.perf_counter(), time.process_time()
    extract(package, dest)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    shutil.rmtree(dest)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument(
        "--workdir", type=Path, help="parent of the temporary folder (e.g. /dev/shm to leave the disk out)"
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="carecert-bench-", dir=options.workdir) as workdir:
        package = Path(workdir) / "bench_package.zip"
        started = time.perf_counter()
        file_count, uncompressed = generate_package(package)
        print(
            f"package: {file_count:,} files, {uncompressed / MB:,.0f} MB unpacked, "
            f"{package.stat().st_size / MB:,.0f} MB zipped (built in {time.perf_counter() - started:.1f} s)"
        )
        for warm_up in (extract_plain, extract_ours):  # page cache and imports, not timed
            timed(warm_up, package, Path(workdir) / "warm")
        ours, plain = [], []
        for _ in range(options.repetitions):
            plain.append(timed(extract_plain, package, Path(workdir) / "plain"))
            ours.append(timed(extract_ours, package, Path(workdir) / "ours"))
        print(f"{'':>26}   wall clock                      CPU (user + system)")
        report("zipfile.extractall", plain, uncompressed)
        report("open_package().extract_to", ours, uncompressed)
        wall_ratio = median_of(ours, 0) / median_of(plain, 0)
        cpu_ratio = median_of(ours, 1) / median_of(plain, 1)
        # Each repetition runs the two back to back, so the ratio within a pair shares the machine's
        # load of that moment; the median of those ratios resists load that comes and goes.
        paired = statistics.median(mine[0] / theirs[0] for mine, theirs in zip(ours, plain, strict=True))
        verdict = "within" if wall_ratio <= 1.3 else "OVER"
        print(
            f"ratio ours / plain (medians): wall {wall_ratio:.2f}x ({verdict} the 1.3x aim), "
            f"CPU {cpu_ratio:.2f}x, wall per pair {paired:.2f}x"
        )


def median_of(runs: list[tuple[float, float]], column: int) -> float:
    return statistics.median(run[column] for run in runs)


def report(label: str, runs: list[tuple[float, float]], uncompressed: int) -> None:
    wall, cpu = median_of(runs, 0), median_of(runs, 1)
    print(
        f"{label:>26}: median {wall:.2f} s ({uncompressed / MB / wall:,.0f} MB/s), "
        f"best {min(run[0] for run in runs):.2f} s   median {cpu:.2f} s"
    )


if __name__ == "__main__":
    main()
