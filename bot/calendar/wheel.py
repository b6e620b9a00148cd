"""The årshjul drawn as a wheel (PNG), the way municipalities draw it in their governance documents.

Twelve months in Swedish around a ring, January at the top and the year running clockwise. Each dated
event of the year is a dot at its deadline, coloured by its kind (economy, follow-up, meetings, companies
and audit, elections); an event that runs through a month ("i oktober") is an arc over that month inside
the ring, with its dot in the middle of the month. Events that recur every month are named once in the
middle instead of twelve times. A red hand marks today.

The labels are grouped per month: January to June in a column on the right, July to December on the
left, each month's block at the height of its month on the ring (moved apart where blocks would overlap),
with a thin line back to the month. A line gives the day ("31/10 …"), or says that the event runs through
the month; a long title wraps onto a second line. Drawing uses matplotlib's Agg backend (no display, no
fonts downloaded: DejaVu Sans ships with matplotlib and has å, ä and ö).
"""

from __future__ import annotations

import io
import math
import textwrap
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
COLUMN_X = 1.14  # the label columns' inner edge, right of the ring (January–June) and left of it (July–December)
LABEL_CHARS = 44  # a label line's characters at most; a longer title wraps onto a second line
LINE_HEIGHT = 0.05  # axis units between label lines
BLOCK_GAP = 0.05  # between two months' blocks
LEGEND_ROOM = 0.6  # above the bottom edge, kept free on the left for the legend
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

    @property
    def month(self) -> int:
        """The month the event is listed under."""
        return self.occurrence.end.month


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
        title = rule_texts.capitalise(" ".join(occurrence.event.title.split()))
        if occurrence.precision == "month":  # some time in the month: drawn over it, not on its last day
            at, label = (
                occurrence.start + (occurrence.end - occurrence.start) / 2,
                texts.WHEEL_WHOLE_MONTH.format(title=title),
            )
        else:
            at, label = occurrence.end, f"{occurrence.end.day}/{occurrence.end.month} {title}"
        found.append(Mark(angle_of(at), label, category(occurrence.event.tags), occurrence))
    return found, monthly


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
    _events(axes, found, year)
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


def _events(axes: Axes, found: list[Mark], year: int) -> None:
    ordered = sorted(found, key=lambda m: -m.angle)
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
    for mark in ordered:
        dot = math.radians(mark.angle)
        axes.plot(
            [RING_OUTER * math.cos(dot)],
            [RING_OUTER * math.sin(dot)],
            "o",
            color=CATEGORY_COLOURS[mark.category],
            markersize=6,
            markeredgecolor="white",
            zorder=4,
        )
    by_month: dict[int, list[Mark]] = {}
    for mark in sorted(found, key=lambda m: (m.occurrence.end, m.occurrence.start)):
        by_month.setdefault(mark.month, []).append(mark)
    for months, side in ((range(1, 7), 1), (range(7, 13), -1)):
        blocks = [(month, _lines(by_month[month])) for month in months if month in by_month]
        if side == -1:
            blocks.reverse()  # July to December runs up the left side: top to bottom is December first
        _column(axes, blocks, side, year)


def _lines(marks_: list[Mark]) -> list[tuple[str, str | None]]:
    """A month's label lines, (text, colour of the event it begins, or None): each event's label wrapped to
    LABEL_CHARS, at most two lines."""
    lines: list[tuple[str, str | None]] = []
    for mark in marks_:
        wrapped = textwrap.wrap(mark.label, LABEL_CHARS)
        if len(wrapped) > 2:
            wrapped = [wrapped[0], _short(" ".join(wrapped[1:]))]
        lines += [(wrapped[0], CATEGORY_COLOURS[mark.category])] + [(f"   {rest}", None) for rest in wrapped[1:]]
    return lines


def _column(axes: Axes, blocks: list[tuple[int, list[tuple[str, str | None]]]], side: int, year: int) -> None:
    """The months' label blocks of one side, top to bottom, each near its month's height and none overlapping."""
    heights = [(1 + len(lines)) * LINE_HEIGHT for _, lines in blocks]
    middles = [_month_middle(year, month) for month, _ in blocks]
    wanted = [
        1.25 * math.sin(math.radians(middle)) + height / 2 for middle, height in zip(middles, heights, strict=True)
    ]
    floor = -LIMIT + (LEGEND_ROOM if side == -1 else 0.1)
    tops = _stacked(wanted, heights, LIMIT - 0.05, floor)
    x = side * COLUMN_X
    for (month, lines), top, middle in zip(blocks, tops, middles, strict=True):
        at = math.radians(middle)
        axes.plot(
            [1.005 * math.cos(at), x - side * 0.02],
            [1.005 * math.sin(at), top - LINE_HEIGHT / 2],
            color="#8a99a8",
            linewidth=0.6,
        )
        align = "left" if side == 1 else "right"
        header = rule_texts.MONTHS[month - 1].capitalize()
        axes.text(x, top, header, ha=align, va="top", fontsize=8.5, fontweight="bold", color="#22313f")
        for row, (text, colour) in enumerate(lines, 1):
            axes.text(x, top - row * LINE_HEIGHT, text, ha=align, va="top", fontsize=7.5, color="#1b2631")
            if colour is not None:  # the event's colour, beside its first line
                square = (x - side * 0.025, top - (row + 0.45) * LINE_HEIGHT)
                axes.plot([square[0]], [square[1]], "s", color=colour, markersize=3)


def _stacked(wanted: list[float], heights: list[float], ceiling: float, floor: float) -> list[float]:
    """Block tops as near the wanted ones as keeps them in order, BLOCK_GAP apart and between the bounds."""
    tops: list[float] = []
    for want in wanted:
        below = tops[-1] - heights[len(tops) - 1] - BLOCK_GAP if tops else ceiling
        tops.append(min(want, below))
    bottom = floor
    for i in reversed(range(len(tops))):  # pushed up again where the column ran past the floor
        tops[i] = max(tops[i], bottom + heights[i])
        bottom = tops[i] + BLOCK_GAP
    return tops


def _month_middle(year: int, month: int) -> float:
    """The angle of the middle of a month on the wheel."""
    return angle_of(date(year, month, 15))


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
