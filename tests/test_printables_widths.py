"""A form's field font widths, written in runs (``first last w``) so that pypdf, which
finishes every form, need not parse 65,000 numbers: the same width for every glyph."""

from __future__ import annotations

import random

from generator.printables.render import short_widths


def expand(widths: list[object]) -> dict[int, object]:
    """glyph id → width, from either form of a ``/W`` array."""
    out: dict[int, object] = {}
    k = 0
    while k < len(widths):
        first, nxt = widths[k], widths[k + 1]
        assert isinstance(first, int)
        if isinstance(nxt, list):
            out.update({first + n: w for n, w in enumerate(nxt)})
            k += 2
        else:
            assert isinstance(nxt, int)
            out.update({c: widths[k + 2] for c in range(first, nxt + 1)})
            k += 3
    return out


def test_runs_keep_every_width_and_shorten_the_array() -> None:
    rng = random.Random(13)
    for _ in range(300):
        widths: list[object] = []
        cid = rng.randint(0, 5)
        for _ in range(rng.randint(1, 6)):
            run = [rng.choice([0, 500, 1000]) for _ in range(rng.randint(1, 15))]
            widths += [cid, run]
            cid += len(run) + rng.randint(1, 3)
        short = short_widths(widths)
        assert expand(short) == expand(widths), widths
        size = len(short) + sum(len(x) for x in short if isinstance(x, list))
        assert size <= len(widths) + sum(len(x) for x in widths if isinstance(x, list))
    field_font = [1, [1000] * 60000 + [0] * 3 + [500]]
    assert short_widths(field_font) == [1, 60000, 1000, 60001, 60003, 0, 60004, [500]]
