"""Time to resolution for other tools and other people: JSON, CSV and one HTML page (pure).

The page is self-contained (inline CSS and SVG, no script, nothing fetched) and
every user text in it is HTML-escaped.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from ktcli.archive.reports import duration

if TYPE_CHECKING:
    from ktcli.archive.reports import Distribution

Sections = list[tuple[str, list["Distribution"]]]


def _figures(d: Distribution) -> dict[str, object]:
    return {
        "name": d.name,
        "count": d.count,
        "median_hours": round(d.median, 2),
        "p90_hours": round(d.p90, 2),
        "max_hours": round(d.maximum, 2),
        "slowest": [{"id": i, "hours": round(h, 2)} for h, i in d.slowest],
        "histogram": dict(d.histogram),
    }


def resolution_json(sections: Sections) -> str:
    """Every group's figures, by section, as JSON."""
    data = {title: [_figures(d) for d in dists] for title, dists in sections}
    return json.dumps(data, indent=2) + "\n"


def resolution_csv(sections: Sections) -> str:
    """One line per group: section, name, count, median, p90, max (hours), slowest ids."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["by", "name", "count", "median_hours", "p90_hours", "max_hours", "slowest"])
    for title, dists in sections:
        for d in dists:
            slowest = " ".join(i for _, i in d.slowest)
            row = [title.removeprefix("by "), d.name, d.count]
            writer.writerow([*row, f"{d.median:.2f}", f"{d.p90:.2f}", f"{d.maximum:.2f}", slowest])
    return out.getvalue()


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
svg{display:block}.bar{fill:#4a7fb5}.lbl{font-size:11px;fill:#444}
"""


def _histogram_svg(d: Distribution) -> str:
    counts = d.histogram
    top = max(n for _, n in counts) or 1
    width, bar = 60, 46
    parts = [f'<svg width="{width * len(counts)}" height="90" role="img" aria-label="histogram">']
    for i, (label, n) in enumerate(counts):
        h = round(60 * n / top)
        x = i * width
        parts.append(f'<rect class="bar" x="{x + 7}" y="{70 - h}" width="{bar}" height="{h}"/>')
        parts.append(f'<text class="lbl" x="{x + 30}" y="{66 - h}" text-anchor="middle">{n}</text>')
        parts.append(
            f'<text class="lbl" x="{x + 30}" y="85" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _section(title: str, dists: list[Distribution]) -> list[str]:
    out = [f"<h2>Time to resolution {escape(title)}</h2>"]
    if not dists:
        return [*out, "<p>No closed analysis.</p>"]
    out.append(
        "<table><tr><th>name</th><th>count</th><th>median</th><th>90th percentile</th>"
        "<th>maximum</th><th>slowest</th><th>histogram</th></tr>"
    )
    for d in dists:
        slowest = "<br>".join(f"{escape(i)} ({duration(h)})" for h, i in d.slowest)
        out.append(
            f"<tr><td>{escape(d.name)}</td><td class=n>{d.count}</td>"
            f"<td class=n>{duration(d.median)}</td><td class=n>{duration(d.p90)}</td>"
            f"<td class=n>{duration(d.maximum)}</td><td>{slowest}</td>"
            f"<td>{_histogram_svg(d)}</td></tr>"
        )
    out.append("</table>")
    return out


def resolution_page(sections: Sections, now: datetime) -> str:
    """One self-contained HTML page: a table and a histogram per group, per section."""
    body = [
        f"<h1>Time to resolution</h1><p>Closed analyses, as of {escape(now.isoformat())}. "
        "Median, 90th percentile and maximum, never a mean alone.</p>"
    ]
    for title, dists in sections:
        body += _section(title, dists)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>ktcli: time to resolution</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
