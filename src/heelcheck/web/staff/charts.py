"""Bar charts as inline SVG, drawn on the server: no script, no chart library, nothing the
strict Content-Security-Policy would block (presentation attributes, no style attributes).

Each chart is an image with a title (``role="img"``); the page puts the same numbers in a
table beside it, which is what screen readers and copy-paste use.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

WIDTH = 640
ROW = 22  # height of one horizontal bar's row
LABEL = 220  # room for the labels left of horizontal bars
VALUE = 60  # room for the numbers right of them


def _svg(title: str, height: int, body: str) -> SafeString:
    tid = f"chart-{next(_ids)}"
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}" xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        WIDTH, height, WIDTH, height, tid, tid, title, mark_safe(body),
    )  # fmt: skip


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars, one per (label, value), in the given order."""
    if not rows:
        return _svg(title, ROW, f'<text x="0" y="{ROW - 6}" class="chart-label">Nothing to show</text>')
    top = max(v for _, v in rows) or 1
    span = WIDTH - LABEL - VALUE
    parts = []
    for i, (label, value) in enumerate(rows):
        y = i * ROW
        w = round(span * value / top, 1)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + ROW - 7}" text-anchor="end" class="chart-label">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL}" y="{y + 3}" width="{w}" height="{ROW - 6}" class="chart-bar"/>'
            f'<text x="{LABEL + w + 4}" y="{y + ROW - 7}" class="chart-value">{value}</text>'
        )
    return _svg(title, ROW * len(rows), "".join(parts))


def day_chart(title: str, days: Sequence[tuple[str, int, int]]) -> SafeString:
    """Vertical bars per day: the started count, with the completed count drawn over it."""
    height, axis, legend = 180, 18, 20
    plot = height - axis - legend
    top = max((s for _, s, _ in days), default=0) or 1
    step = WIDTH / max(len(days), 1)
    bar = max(step * 0.8, 0.5)
    parts = [
        f'<rect x="0" y="2" width="12" height="12" class="chart-bar-soft"/>'
        f'<text x="16" y="13" class="chart-label">started</text>'
        f'<rect x="90" y="2" width="12" height="12" class="chart-bar"/>'
        f'<text x="106" y="13" class="chart-label">completed</text>'
        f'<text x="{WIDTH}" y="13" text-anchor="end" class="chart-label">highest: {top}</text>'
    ]
    for i, (_, started, completed) in enumerate(days):
        x = round(i * step + (step - bar) / 2, 2)
        for value, css in ((started, "chart-bar-soft"), (completed, "chart-bar")):
            h = round(plot * value / top, 2)
            parts.append(
                f'<rect x="{x}" y="{legend + plot - h}" width="{round(bar, 2)}" height="{h}" class="{css}"/>'
            )
    parts.append(f'<line x1="0" x2="{WIDTH}" y1="{legend + plot}" y2="{legend + plot}" class="chart-axis"/>')
    if days:
        first, last = escape(days[0][0]), escape(days[-1][0])
        parts.append(f'<text x="0" y="{height - 3}" class="chart-label">{first}</text>')
        parts.append(f'<text x="{WIDTH}" y="{height - 3}" text-anchor="end" class="chart-label">')
        parts.append(f"{last}</text>")
    return _svg(title, height, "".join(parts))
