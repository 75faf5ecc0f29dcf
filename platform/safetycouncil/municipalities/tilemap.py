"""A map of Albania's municipalities as a tile grid: one square per municipality, placed by where its
seat lies (``tenants/tilegrid.csv``, approximate positions written by hand from the seats' locations).

Drawn as server-rendered SVG (no JavaScript); every tile is a link with a full accessible name, and
the pages that show it also show a table with the same figures. Municipalities not in the grid
(e.g. synthetic ones of the benchmark) are simply not drawn: the table still lists them.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from .provisioning import TENANTS_DIR

TILE = 48   # one grid step, in SVG units
GAP = 4


@dataclass(frozen=True)
class Tile:
    slug: str
    name: str
    href: str
    status: str          # a CSS suffix: ok, partial, low, none, pass, fail, not_yet_due
    figure: str = ""     # a short figure printed under the abbreviation ("83%", "✓")
    description: str = ""  # said after the name to screen readers ("83% of the rules met")


@lru_cache(maxsize=1)
def grid() -> dict[str, tuple[int, int, str]]:
    with open(TENANTS_DIR / "tilegrid.csv", newline="", encoding="utf-8") as fh:
        return {row["slug"]: (int(row["col"]), int(row["row"]), row["abbr"]) for row in csv.DictReader(fh)}


def fold(text: str) -> str:
    """Lower case without diacritics, for search: "Korçë" and "korce" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def render(tiles: list[Tile], *, label: str, id_: str = "tilemap") -> Markup:
    """The SVG of the tiles that are in the grid; ``label`` names the whole map."""
    places = grid()
    drawn = [(t, places[t.slug]) for t in tiles if t.slug in places]
    if not drawn:
        return Markup("")
    cols = max(p[0] for _, p in drawn) + 1
    rows = max(p[1] for _, p in drawn) + 1
    width, height = cols * TILE, rows * TILE
    parts = [f'<svg class="tilemap" id="{escape(id_)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="group" aria-label="{escape(label)}">']
    for tile, (col, row, abbr) in drawn:
        x, y = col * TILE, row * TILE
        size = TILE - GAP
        cx = x + size / 2
        # the accessible name starts with the visible text (WCAG 2.5.3, label in name)
        visible = f"{abbr} {tile.figure}" if tile.figure else abbr
        name = f"{visible}: {tile.name}" + (f", {tile.description}" if tile.description else "")
        text = (f'<text x="{cx}" y="{y + 19}" text-anchor="middle" class="tile-abbr">{escape(abbr)}</text> '
                f'<text x="{cx}" y="{y + 36}" text-anchor="middle" class="tile-figure">{escape(tile.figure)}</text>'
                if tile.figure else
                f'<text x="{cx}" y="{y + 27}" text-anchor="middle" class="tile-abbr">{escape(abbr)}</text>')
        parts.append(
            f'<a href="{escape(tile.href)}" aria-label="{escape(name)}" class="tile tile-{escape(tile.status)}">'
            f"<title>{escape(tile.name)}</title>"
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4"/>'
            f'{text}</a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def score_status(score: int | None) -> str:
    if score is None:
        return "none"
    return "ok" if score >= 100 else "partial" if score >= 50 else "low"


def compliance_tiles(municipalities, results: dict, href, rule: str | None = None,
                     number=lambda n: str(n)) -> list[Tile]:
    """Tiles coloured by each council's score, or by its verdict on one ``rule``.

    ``results`` maps municipality ids to the compliance engine's council results; ``href(m)``
    builds each tile's link; ``number`` formats a number in the reader's locale.
    """
    from flask_babel import gettext as _

    from ..compliance.evidence import verdict_label

    tiles = []
    for m in municipalities:
        result = results.get(m.id)
        if result is None:
            tiles.append(Tile(m.slug, m.name, href(m), "none", "–", _("no verdict yet")))
        elif rule:
            verdict = result.verdicts.get(rule)
            status = verdict.status if verdict is not None else "none"
            symbol = {"pass": "✓", "fail": "✗", "not_yet_due": "…"}.get(status, "–")
            tiles.append(Tile(m.slug, m.name, href(m), status, symbol,
                              str(verdict_label(status)) if verdict is not None else _("no verdict yet")))
        else:
            score = number(result.score)
            tiles.append(Tile(m.slug, m.name, href(m), score_status(result.score), f"{score}%",
                              _("%(score)s%% of the rules due were followed", score=score)))
    return tiles
