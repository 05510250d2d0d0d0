"""Simple charts as inline SVG (no script): course progress per unit and grade sync health.

Each chart has a title and a text description for screen readers, and its numbers are also printed, so
nothing depends on seeing the colours.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from lti_tool.assessor.grid import Grid

STATUS_COLOURS = {
    "Achieved": "#1b5e20",
    "Completed": "#2e7d32",
    "Awaiting sign-off": "#f9a825",
    "In progress": "#1565c0",
    "Failed": "#b00020",
    "Not started": "#bdbdbd",
}
SYNC_COLOURS = {"sent": "#2e7d32", "queued": "#1565c0", "sending": "#5e92f3", "failed": "#b00020"}
BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 420, 18, 220


def _bar(y: int, counts: list[tuple[str, int, str]], total: int) -> str:
    parts, x = [], LABEL_WIDTH
    for name, count, colour in counts:
        if not count:
            continue
        width = BAR_WIDTH * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}">'
            f"<title>{escape(name)}: {count}</title></rect>"
        )
        x += width
    return "".join(parts)


def _svg(chart_id: str, title: str, description: str, height: int, body: str) -> str:
    width = LABEL_WIDTH + BAR_WIDTH + 10
    return (
        f'<svg id="{chart_id}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="100%" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" '
        f'font-size="12"><title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{body}</svg>'
    )


def _legend(y: int, colours: dict[str, str]) -> str:
    items, x = [], 0
    for name, colour in colours.items():
        items.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 9}">{escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16
    return "".join(items)


def progress_chart(grid: Grid) -> str:
    rows, lines = [], []
    for index, unit in enumerate(grid.units):
        counts = Counter(row.cells[index].status for row in grid.rows)
        total = max(1, sum(counts.values()))
        y = 8 + index * (BAR_HEIGHT + 8)
        label = unit.title if len(unit.title) <= 32 else unit.title[:31] + "…"
        rows.append(f'<text x="0" y="{y + 13}">{escape(label)}</text>')
        rows.append(_bar(y, [(name, counts[name], colour) for name, colour in STATUS_COLOURS.items()], total))
        lines.append(f"{unit.title}: " + ", ".join(f"{n} {name.lower()}" for name, n in counts.items()))
    height = 8 + len(grid.units) * (BAR_HEIGHT + 8) + 24
    rows.append(_legend(height - 16, STATUS_COLOURS))
    description = "; ".join(lines) or "No units in this course yet."
    return _svg("progress-chart", "Progress by unit", description, height, "".join(rows))


def sync_chart(counts: dict[str, int]) -> str:
    total = max(1, sum(counts.values()))
    body = '<text x="0" y="21">All grade syncs</text>' + _bar(
        8, [(name, counts.get(name, 0), colour) for name, colour in SYNC_COLOURS.items()], total
    )
    body += _legend(40, SYNC_COLOURS)
    description = ", ".join(f"{counts.get(name, 0)} {name}" for name in SYNC_COLOURS)
    return _svg("sync-chart", "Grade sync health", description, 56, body)
