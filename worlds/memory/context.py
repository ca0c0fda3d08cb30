"""A history as one context: the key sessions at chosen depths, padded with dated filler to a target length.

Depth is where a session starts, as a fraction of the context (0.0 the beginning, 1.0 the end). Filler is dated
between its neighbours, so the whole context stays in time order wherever the key sessions land.

>>> from datetime import date
>>> from clawgym.worlds.memory.scenario import generate
>>> s = generate(seed=0, n=1, start=date(2025, 1, 1), months=6)[0]
>>> text = render_context(s.sessions, target_tokens=8000, depths=0.5, seed=0, start=date(2025, 1, 1), months=6)
>>> 7200 <= approx_tokens(text) <= 8800
True
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from itertools import pairwise

from clawgym.worlds.memory.filler import filler
from clawgym.worlds.memory.session import Session, window_of

SEPARATOR = "\n\n"
CHARS_PER_TOKEN = 4  # the usual rule of thumb for English text under BPE tokenizers


def approx_tokens(text: str) -> int:
    """A tokenizer-free token estimate: one token per four characters, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _size(session: Session) -> int:
    # the dated header has a fixed width, so a session's size does not change when it is re-dated
    return len(session.text) + len(SEPARATOR)


def _wanted_depths(sessions: Sequence[Session], order: list[int], depths: Mapping[int, float] | float) -> list[float]:
    """The requested depth of each session in time order; sessions not named are spread between their neighbours."""
    n = len(order)
    if isinstance(depths, (int, float)):
        given = {rank: float(depths) for rank in range(n)}
    else:
        rank_of = {index: rank for rank, index in enumerate(order)}
        given = {}
        for index, depth in depths.items():
            if index not in rank_of:
                raise ValueError(f"depths names session {index!r}, but there are {n} sessions (0..{n - 1})")
            given[rank_of[index]] = float(depth)
        if n and not given:
            raise ValueError("depths must name at least one session, or be a single float")
    if any(not 0.0 <= d <= 1.0 for d in given.values()):
        raise ValueError(f"depths must lie in [0.0, 1.0], got {sorted(given.values())}")
    anchors = [(-1, 0.0), *sorted(given.items()), (n, 1.0)]
    wanted: list[float] = []
    for (a, da), (b, db) in pairwise(anchors):
        wanted.extend(da + (db - da) * (r - a) / (b - a) for r in range(a + 1, b))
        if b < n:
            wanted.append(db)
    for rank in range(1, n):
        if wanted[rank] < wanted[rank - 1]:
            earlier, later = sessions[order[rank - 1]], sessions[order[rank]]
            raise ValueError(f"depths must follow time order: the session at {earlier.at} asks for depth "
                             f"{wanted[rank - 1]:.2f}, the later one at {later.at} for {wanted[rank]:.2f}")
    return wanted


def _starts(wanted: list[float], sizes: list[int], total: int) -> list[float]:
    """Where each key session should start; sessions asking for the same depth form one block centred on it."""
    starts: list[float] = []
    i = 0
    while i < len(wanted):
        j = i
        while j + 1 < len(wanted) and wanted[j + 1] == wanted[i]:
            j += 1
        offset = wanted[i] * total - sum(sizes[i:j + 1]) / 2
        for k in range(i, j + 1):
            starts.append(offset)
            offset += sizes[k]
        i = j + 1
    low = 0.0
    for k, size in enumerate(sizes):  # no key session may overlap the one before it...
        starts[k] = low = max(starts[k], low)
        low += size
    high = float(max(total, sum(sizes)))
    for k in reversed(range(len(sizes))):  # ...nor push the ones after it past the end
        starts[k] = high = min(starts[k], high - sizes[k])
    return starts


class _Pad:
    """Filler drawn in order from one stream; a session that did not fit one gap is offered to the next."""

    def __init__(self, stream: Iterator[Session]) -> None:
        self._stream = stream
        self._held: Session | None = None

    def take(self, chars: float) -> list[Session]:
        """Filler whose total size is as close to ``chars`` as whole sessions allow."""
        taken: list[Session] = []
        filled = 0
        while True:
            session = self._held or next(self._stream)
            self._held = None
            size = _size(session)
            if filled + size / 2 > chars:
                self._held = session
                return taken
            taken.append(session)
            filled += size


def _dated(sessions: list[Session], lo: datetime, hi: datetime) -> list[Session]:
    """``sessions`` re-dated evenly between ``lo`` and ``hi``, to the minute, never outside them."""
    m = len(sessions)
    out = []
    for i, session in enumerate(sessions):
        at = (lo + (hi - lo) * (i + 1) / (m + 1)).replace(second=0, microsecond=0)
        out.append(replace(session, at=min(max(at, lo), hi)))
    return out


def arrange_context(sessions: Sequence[Session], *, target_tokens: int, depths: Mapping[int, float] | float,
                    seed: int, start: date, months: int) -> list[Session]:
    """The key ``sessions`` (in time order) interleaved with dated filler, about ``target_tokens`` long in all.

    ``depths`` is one depth for every session, or a depth per index into ``sessions`` (the rest are spread between
    the named ones). A context is never shorter than its key sessions.
    """
    if target_tokens < 0:
        raise ValueError(f"target_tokens must be >= 0, got {target_tokens}")
    order = sorted(range(len(sessions)), key=lambda i: sessions[i].at)
    keys = [sessions[i] for i in order]
    sizes = [_size(s) for s in keys]
    total = target_tokens * CHARS_PER_TOKEN
    starts = _starts(_wanted_depths(sessions, order, depths), sizes, total)
    origin, end = window_of(start, months)
    # filler before the first key session and after the last stays inside the window (or the keys, if they overrun it)
    times = [min([origin, *(s.at for s in keys[:1])]), *(s.at for s in keys), max([end, *(s.at for s in keys[-1:])])]
    pad = _Pad(filler(seed, start, months))
    out: list[Session] = []
    cursor = 0
    for k, key in enumerate(keys):
        gap = pad.take(starts[k] - cursor)
        out += _dated(gap, times[k], times[k + 1])
        cursor += sum(_size(s) for s in gap) + sizes[k]
        out.append(key)
    out += _dated(pad.take(total - cursor), times[-2], times[-1])
    return out


def render_context(sessions: Sequence[Session], *, target_tokens: int, depths: Mapping[int, float] | float,
                   seed: int, start: date, months: int) -> str:
    """The history as text: ``arrange_context``'s sessions, each under its dated header, in time order."""
    arranged = arrange_context(sessions, target_tokens=target_tokens, depths=depths, seed=seed, start=start,
                               months=months)
    return SEPARATOR.join(s.text for s in arranged)
