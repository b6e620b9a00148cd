"""The årshjul drawn as a wheel (PNG), the way municipalities draw it in their governance documents.

Twelve months in Swedish around a ring, January at the top and the year running clockwise. Each dated
event of the year is a dot at its deadline, coloured by its kind (economy, follow-up, meetings, companies
and audit, elections), with its date and short title outside the ring; an event that runs through a month
is also an arc over that month inside the ring. Events that recur every month are named once in the middle
instead of twelve times. A red hand marks today.

Labels are spread around the circle so that none overlap, each with a thin line back to its dot. Drawing
uses matplotlib's Agg backend (no display, no fonts downloaded: DejaVu Sans ships with matplotlib and has
å, ä and ö).
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")  # headless: before pyplot is imported

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Wedge

from bot import texts
from rules import Rulebook, RulesEngine
from rules import texts as rule_texts
from rules.calendar import Occurrence

SIZE_INCHES, DPI = 13.0, 110
LIMIT = 2.2  # the canvas spans ±LIMIT axis units: room for the labels outside the ring
RING_OUTER, RING_INNER = 1.0, 0.86  # the month ring, in axis units
LABEL_RADIUS = 1.1
LABEL_CHARS = 42
TODAY_COLOUR = "#c0392b"
MONTH_COLOURS = ("#dfe9f3", "#eef3f8")
CATEGORY_COLOURS = {
    "ekonomi": "#1f6fb2",
    "uppföljning": "#2e8b57",
    "sammanträde": "#8e44ad",
    "bolag": "#d35400",
    "val": "#b7950b",
    "övrigt": "#5d6d7e",
}
_CATEGORY_OF_TAG = {
    "ekonomi": "ekonomi",
    "budget": "ekonomi",
    "investering": "ekonomi",
    "partistöd": "ekonomi",
    "uppföljning": "uppföljning",
    "internkontroll": "uppföljning",
    "uppsikt": "uppföljning",
    "kvalitet": "uppföljning",
    "mål": "uppföljning",
    "planering": "uppföljning",
    "sammanträde": "sammanträde",
    "protokoll": "sammanträde",
    "nämndsekreterare": "sammanträde",
    "överklagande": "sammanträde",
    "bolag": "bolag",
    "revision": "bolag",
    "val": "val",
    "valår": "val",
}


@dataclass(frozen=True)
class Mark:
    """One event on the wheel: where its dot is and what its label says."""

    angle: float  # degrees, counter-clockwise from the x axis (January 1 at 90°)
    label: str
    category: str
    occurrence: Occurrence


def angle_of(day: date) -> float:
    """Where a day sits on the wheel: January 1 at the top, clockwise through the year."""
    days = 366 if _leap(day.year) else 365
    return 90.0 - 360.0 * (day.timetuple().tm_yday - 0.5) / days


def category(tags: tuple[str, ...]) -> str:
    """The kind an event is drawn as: the first of its tags that has one, in the order of the legend."""
    found = {_CATEGORY_OF_TAG[t] for t in tags if t in _CATEGORY_OF_TAG}
    return next((c for c in CATEGORY_COLOURS if c in found), "övrigt")


def marks(engine: RulesEngine, municipality: str, year: int) -> tuple[list[Mark], list[str]]:
    """The year's events to draw, and the titles of those that recur every month (named once)."""
    rulebook = engine.rulebook(municipality)
    items = engine.upcoming(rulebook.municipality, date(year, 1, 1), date(year, 12, 31))
    counts = Counter(i.occurrence.event.id for i in items)
    monthly = sorted({i.occurrence.event.title for i in items if counts[i.occurrence.event.id] >= 10})
    found = []
    for item in items:
        occurrence = item.occurrence
        if counts[occurrence.event.id] >= 10:
            continue
        day = occurrence.end
        label = f"{day.day}/{day.month} {_short(rule_texts.capitalise(occurrence.event.title))}"
        found.append(Mark(angle_of(day), label, category(occurrence.event.tags), occurrence))
    return found, monthly


def spread(angles: list[float], gap: float) -> list[float]:
    """Label angles as near the given ones as they can be with at least `gap` degrees between neighbours,
    none crossing the top, where the year turns. `angles` run clockwise (the year's order). This is the
    least-squares placement under those constraints: with u_i = t_i - i*gap (t clockwise from the top),
    the best nondecreasing fit to u (pool adjacent violators), clamped to the bounds, plus i*gap back."""
    if not angles:
        return []
    n = len(angles)
    gap = min(gap, 350.0 / n)
    low, high = gap / 2, 360.0 - gap / 2 - (n - 1) * gap
    u = [(90.0 - a) % 360.0 - i * gap for i, a in enumerate(angles)]
    blocks: list[list[float]] = []  # [mean, size]
    for value in u:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, size = blocks.pop()
            blocks[-1] = [(blocks[-1][0] * blocks[-1][1] + mean * size) / (blocks[-1][1] + size), blocks[-1][1] + size]
    fitted = [min(max(mean, low), high) for mean, size in blocks for _ in range(int(size))]
    return [90.0 - (v + i * gap) for i, v in enumerate(fitted)]


def render(engine: RulesEngine, municipality: str, today: date, year: int | None = None) -> bytes:
    """The wheel of `year` (default: today's) as PNG bytes, with today marked when it falls in that year."""
    figure = draw(engine, municipality, today, year)
    try:
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, facecolor="white", metadata={"Software": "Styrbot"})
        return out.getvalue()
    finally:
        plt.close(figure)


def draw(engine: RulesEngine, municipality: str, today: date, year: int | None = None) -> Figure:
    """The wheel as a matplotlib figure (the caller closes it): one axes spanning the figure, ±LIMIT."""
    year = year or today.year
    rulebook = engine.rulebook(municipality)
    found, monthly = marks(engine, municipality, year)
    figure = plt.figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(-LIMIT, LIMIT)
    axes.set_ylim(-LIMIT, LIMIT)
    axes.set_aspect("equal")
    axes.axis("off")
    _months(axes, year)
    _events(axes, found)
    _centre(axes, rulebook, year, monthly)
    if today.year == year:
        _today(axes, today)
    _legend(axes, {m.category for m in found})
    return figure


def _months(axes: Axes, year: int) -> None:
    for month in range(1, 13):
        start = angle_of(date(year, month, 1)) + 180 / 365  # the month's first day starts at its edge
        end = angle_of(date(year + (month == 12), month % 12 + 1, 1)) + 180 / 365
        axes.add_patch(
            Wedge(
                (0, 0),
                RING_OUTER,
                end,
                start,
                width=RING_OUTER - RING_INNER,
                facecolor=MONTH_COLOURS[month % 2],
                edgecolor="white",
                linewidth=2,
            )
        )
        middle = math.radians((start + end) / 2 if end < start else (start + end + 360) / 2)
        radius = (RING_OUTER + RING_INNER) / 2
        rotation = math.degrees(middle) - 90
        if math.sin(middle) < 0:  # the lower half: turned so that the name reads upright
            rotation += 180
        axes.text(
            radius * math.cos(middle),
            radius * math.sin(middle),
            rule_texts.MONTHS[month - 1].capitalize(),
            ha="center",
            va="center",
            rotation=rotation,
            rotation_mode="anchor",
            fontsize=10,
            color="#22313f",
            fontweight="bold",
        )


def _events(axes: Axes, found: list[Mark]) -> None:
    ordered = sorted(found, key=lambda m: -m.angle)
    label_angles = spread([m.angle for m in ordered], gap=2.5)
    month_arcs = [m for m in ordered if m.occurrence.precision == "month"]
    for track, mark in enumerate(month_arcs):
        start, end = angle_of(mark.occurrence.start) + 0.5, angle_of(mark.occurrence.end) - 0.5
        radius = RING_INNER - 0.04 - 0.028 * (track % 8)
        axes.add_patch(
            Wedge(
                (0, 0),
                radius,
                end,
                start,
                width=0.018,
                facecolor=CATEGORY_COLOURS[mark.category],
                alpha=0.55,
                linewidth=0,
            )
        )
    for mark, label_angle in zip(ordered, label_angles, strict=True):
        colour = CATEGORY_COLOURS[mark.category]
        dot = math.radians(mark.angle)
        axes.plot(
            [RING_OUTER * math.cos(dot)],
            [RING_OUTER * math.sin(dot)],
            "o",
            color=colour,
            markersize=6,
            markeredgecolor="white",
            zorder=4,
        )
        at = math.radians(label_angle)
        axes.plot(
            [1.005 * math.cos(dot), 1.06 * math.cos(at)],
            [1.005 * math.sin(dot), 1.06 * math.sin(at)],
            color=colour,
            linewidth=0.6,
            alpha=0.8,
        )
        left = math.cos(at) < 0
        axes.text(
            LABEL_RADIUS * math.cos(at),
            LABEL_RADIUS * math.sin(at),
            mark.label,
            rotation=label_angle + (180 if left else 0),
            rotation_mode="anchor",
            ha="right" if left else "left",
            va="center",
            fontsize=7.5,
            color="#1b2631",
        )


def _centre(axes: Axes, rulebook: Rulebook, year: int, monthly: list[str]) -> None:
    axes.text(0, 0.2, rulebook.name, ha="center", va="center", fontsize=18, fontweight="bold", color="#22313f")
    axes.text(0, 0.08, texts.WHEEL_TITLE.format(year=year), ha="center", va="center", fontsize=14, color="#34495e")
    if monthly:
        lines = [texts.WHEEL_EVERY_MONTH, *(_short(rule_texts.capitalise(t), 40) for t in monthly)]
        axes.text(0, -0.12, "\n".join(lines), ha="center", va="top", fontsize=8, color="#34495e")


def _today(axes: Axes, today: date) -> None:
    at = math.radians(angle_of(today))
    axes.plot(
        [0, RING_OUTER * math.cos(at)],
        [0, RING_OUTER * math.sin(at)],
        color=TODAY_COLOUR,
        linewidth=3,
        solid_capstyle="round",
        zorder=5,
    )
    axes.plot([0], [0], "o", color=TODAY_COLOUR, markersize=9, zorder=6)
    label = texts.WHEEL_TODAY.format(date=f"{today.day}/{today.month}")
    axes.text(
        0.62 * math.cos(at),
        0.62 * math.sin(at) + 0.04,
        label,
        ha="center",
        va="bottom",
        fontsize=10,
        color=TODAY_COLOUR,
        fontweight="bold",
        zorder=6,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
    )


def _legend(axes: Axes, used: set[str]) -> None:
    shown = [c for c in CATEGORY_COLOURS if c in used]
    for row, name in enumerate(shown):
        y = -LIMIT + 0.14 + 0.075 * (len(shown) - 1 - row)
        axes.plot([-LIMIT + 0.08], [y], "o", color=CATEGORY_COLOURS[name], markersize=8)
        axes.text(-LIMIT + 0.14, y, texts.WHEEL_CATEGORIES[name], va="center", fontsize=10, color="#1b2631")


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
