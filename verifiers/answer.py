"""Answer matchers: does a final answer state the expected value, and only it?

Each matcher extracts every candidate of its kind from the answer (all numbers, all dates, all code-like
tokens, all list items) and passes only when the candidates are exactly the expected one(s). So an answer that
lists many plausible values ("it is A-1234 or B-2345 or C-3456") fails, and so does one naming a
``distractors`` value (a near miss planted in the world).

>>> NumberMatcher(kind="number", expected=1234.5).match("It came to $1,234.50.")
(True, 'found 1234.5')
>>> TextMatcher(kind="text", expected="ABC-1234").match("ABC-1234 or XYZ-9876")[0]
False
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# -- normalizing and extracting ---------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DATES = [  # (pattern, order of the groups: y=year, m=month, d=day, a/b=ambiguous day and month)
    (re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?(?![\d])"), "ymd"),
    (re.compile(r"(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d])"), "aby"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+(\d{{4}})\b)?", re.I), "mdy"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}})\b)?", re.I), "dmy"),
]
_TIMES = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?", re.I)
_TOKEN = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9-])")
_NOT_CODE = re.compile(r"\d+(?:st|nd|rd|th|am|pm|k|m|h|s|x)", re.I)  # 5th, 3pm, 10k: words, not codes
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−+])?\s?[$€£¥]?\s?(?P<sign2>[-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?!\w|[.,]\d)"
)
_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_ITEM_SPLIT = re.compile(r"\n|,|;|•")
_LEAD_IN = re.compile(r"^[^\n,:]{0,80}:\s")
_WORD_SPLIT = re.compile(r"\s+(?:and|or)\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# How a hedging answer offers several candidates: "X or Y", "X; Y", "one of", "either", a bulleted list.
_ALTERNATIVES = re.compile(r"\bor\b|;|\bone of\b|\beither\b|\n\s*(?:[-*+•]|\d+[.)])\s", re.I)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, whitespace collapsed: ``"  Dr. O'Neil!"`` -> ``"dr o neil"``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether normalized ``phrase`` occurs in normalized ``text`` on word boundaries."""
    p = normalize(phrase)
    return bool(p) and f" {p} " in f" {normalize(text)} "


def named_distractor(answer: str, distractors: Sequence[str], expected: Sequence[str] = ()) -> str | None:
    """The first distractor the answer names outside the expected phrases (which may contain a distractor)."""
    said = f" {normalize(answer)} "
    for phrase in sorted({normalize(e) for e in expected if normalize(e)}, key=len, reverse=True):
        said = said.replace(f" {phrase} ", " | ")
    return next((d for d in distractors if normalize(d) and f" {normalize(d)} " in said), None)


def _without(text: str, phrases: Sequence[str]) -> str:
    """``text`` with every case-insensitive occurrence of ``phrases`` cut out."""
    for phrase in sorted(phrases, key=len, reverse=True):
        if phrase:
            text = re.sub(re.escape(phrase), " ", text, flags=re.I)
    return text


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def dates(text: str) -> tuple[list[set[tuple[int | None, int, int]]], str]:
    """Every date in ``text``, each as its possible readings (year, month, day; year None when not given).

    ``03/05/2026`` reads as March 5 or May 3. Also returns the text with the dates blanked out.
    """
    found: list[set[tuple[int | None, int, int]]] = []
    for pattern, order in _DATES:
        spans = []
        for m in pattern.finditer(text):
            readings = _readings(m.groups(), order)
            if readings:
                found.append(readings)
                spans.append(m.span())
        text = _blank(text, spans)
    return found, text


def _readings(groups: tuple[str | None, ...], order: str) -> set[tuple[int | None, int, int]]:
    vals: dict[str, str | None] = dict(zip(order, groups))
    year = vals.get("y")
    y = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
    if order == "aby":
        a, b = int(vals["a"] or 0), int(vals["b"] or 0)
        options = {(y, a, b), (y, b, a)}
    else:
        month = vals["m"] or ""
        m = int(month) if month.isdigit() else _MONTHS[month.lower()[:3]]
        options = {(y, m, int(vals["d"] or 0))}
    return {o for o in options if _valid(*o)}


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        date(y if y is not None else 2000, m, d)  # 2000 is a leap year: Feb 29 stays possible
    except ValueError:
        return False
    return True


def codes(text: str) -> set[str]:
    """Code-like tokens (``ABC-1234``, ``4B7X``, ``555-0134``), upper-cased without dashes; not dates or times."""
    _, text = dates(text)
    text = _TIMES.sub(" ", text)
    return {t.upper().replace("-", "") for t in _TOKEN.findall(text) if _is_code(t)}


def _is_code(token: str) -> bool:
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    return len(token) >= 3 and has_digit and (has_letter or "-" in token) and not _NOT_CODE.fullmatch(token)


def numbers(text: str) -> list[float]:
    """Every number in ``text`` (``1,234.50``, ``$1234.5``, ``-3``, ``12%``), skipping dates, times and codes.

    Number words (``three``) count only when no digits do.
    """
    _, text = dates(text)
    text = _TIMES.sub(" ", text)
    text = _TOKEN.sub(lambda m: " " if _is_code(m.group(0)) else m.group(0), text)
    found = []
    for m in _NUMBER.finditer(text):
        value = float(m.group("num").replace(",", ""))
        negative = (m.group("sign") or m.group("sign2") or "") in ("-", "−")
        found.append(-value if negative else value)
    if not found:
        found = [float(_WORDS[w]) for w in normalize(text).split() if w in _WORDS]
    return found


def item_key(text: str) -> str:
    """An item normalized for set comparison ("&" reads as "and")."""
    return normalize(text.replace("&", " and "))


def items(text: str, keep: Sequence[str] = ()) -> list[str]:
    """The items of a list answer, normalized: split on newlines, commas, semicolons, bullets, "and", "or", "&".

    Phrases in ``keep`` (expected items such as "Salt & Pepper") are never split. A lead-in that ends in a
    colon ("The attendees are: ...") is dropped.
    """
    text = _LEAD_IN.sub("", text.replace("&", " and "), count=1)
    protected = sorted({item_key(k) for k in keep if re.search(r"\b(and|or)\b", item_key(k))}, key=len, reverse=True)
    out = []
    for chunk in _ITEM_SPLIT.split(text):
        chunk = normalize(_BULLET.sub("", chunk))
        holders: dict[str, str] = {}
        for i, phrase in enumerate(protected):
            if f" {phrase} " in f" {chunk} ":
                holders[f"keep{i}keep"] = phrase
                chunk = f" {chunk} ".replace(f" {phrase} ", f" keep{i}keep ").strip()
        for part in _WORD_SPLIT.split(f" {chunk} "):
            part = " ".join(holders.get(w, w) for w in part.split())
            part = re.sub(r"^(?:and|or)\s+", "", part)
            if part:
                out.append(part)
    return out


# -- matchers ---------------------------------------------------------------------------------

class _Matcher(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextMatcher(_Matcher):
    """The answer is the expected text: equal once normalized, or containing it while short, free of distractors
    and offering no alternatives ("X or Y", "one of: X; Y").

    An expected value with codes in it (``ABC-1234``) needs the answer's codes to be exactly its codes; one with
    numbers needs every number of the answer to be one of its numbers.
    """

    kind: Literal["text"] = "text"
    expected: str = Field(min_length=1)
    alternatives: list[str] = Field(default_factory=list, description="other accepted forms")
    distractors: list[str] = Field(default_factory=list)

    def match(self, answer: str) -> tuple[bool, str]:
        hit = named_distractor(answer, self.distractors, [self.expected, *self.alternatives])
        if hit is not None:
            return False, f"names the distractor {hit!r}"
        said = normalize(answer)
        reasons = []
        for form in [self.expected, *self.alternatives]:
            wanted = codes(form)
            if wanted:
                got = codes(answer)
                if got == wanted:
                    return True, f"states {form!r}"
                reasons.append(f"codes {sorted(got) or 'none'} where {sorted(wanted)} were expected")
                continue
            if said == normalize(form):
                return True, f"states {form!r}"
            if not contains_phrase(answer, form):
                reasons.append(f"does not contain {form!r}")
            elif len(said) > 3 * len(normalize(form)) + 20:
                reasons.append(f"contains {form!r} but is too long to count as stating it")
            elif set(numbers(answer)) - set(numbers(form)):
                reasons.append(f"contains {form!r} but also other numbers")
            elif _ALTERNATIVES.search(_without(answer, [self.expected, *self.alternatives])):
                reasons.append(f"contains {form!r} but offers alternatives")
            else:
                return True, f"states {form!r}"
        return False, "; ".join(reasons)


class NumberMatcher(_Matcher):
    """The numbers in the answer are all the expected number (within ``abs_tol``/``rel_tol``); at least one."""

    kind: Literal["number"] = "number"
    expected: float
    abs_tol: float = Field(default=1e-6, ge=0)
    rel_tol: float = Field(default=0.0, ge=0)
    distractors: list[float] = Field(default_factory=list)

    def match(self, answer: str) -> tuple[bool, str]:
        found = list(dict.fromkeys(numbers(answer)))
        if not found:
            return False, "no number in the answer"
        near = [x for x in found for d in self.distractors if self._close(x, d) and not self._close(x, self.expected)]
        if near:
            return False, f"names the distractor {near[0]:g}"
        wrong = [x for x in found if not self._close(x, self.expected)]
        if wrong:
            return False, f"found {', '.join(f'{x:g}' for x in found)}; expected only {self.expected:g}"
        return True, f"found {self.expected:g}"

    def _close(self, x: float, y: float) -> bool:
        return math.isclose(x, y, rel_tol=self.rel_tol, abs_tol=self.abs_tol)


class DateMatcher(_Matcher):
    """Every date in the answer is the expected day (a date without a year matches any year); at least one."""

    kind: Literal["date"] = "date"
    expected: date
    distractors: list[date] = Field(default_factory=list)

    def match(self, answer: str) -> tuple[bool, str]:
        found, _ = dates(answer)
        if not found:
            return False, "no date in the answer"
        for readings in found:
            if not any(_same_day(r, self.expected) for r in readings):
                named = [d for d in self.distractors if any(_same_day(r, d) for r in readings)]
                if named:
                    return False, f"names the distractor {named[0].isoformat()}"
                return False, f"names another date ({_show(readings)}); expected only {self.expected.isoformat()}"
        return True, f"found {self.expected.isoformat()}"


def _same_day(reading: tuple[int | None, int, int], day: date) -> bool:
    y, m, d = reading
    return (y is None or y == day.year) and m == day.month and d == day.day


def _show(readings: set[tuple[int | None, int, int]]) -> str:
    ordered = sorted(readings, key=lambda r: (r[0] or 0, r[1], r[2]))
    return " or ".join(f"{y or '????'}-{m:02d}-{d:02d}" for y, m, d in ordered)


class SetMatcher(_Matcher):
    """The answer lists exactly the expected items, in any order (each item may carry a few extra words)."""

    kind: Literal["set"] = "set"
    expected: list[str] = Field(min_length=1)
    distractors: list[str] = Field(default_factory=list)

    def match(self, answer: str) -> tuple[bool, str]:
        hit = named_distractor(answer, self.distractors, self.expected)
        if hit is not None:
            return False, f"names the distractor {hit!r}"
        wanted = {item_key(e): e for e in self.expected}
        seen: set[str] = set()
        extra = []
        for item in items(answer, self.expected):
            matched = [w for w in wanted if f" {w} " in f" {item} " and len(item) <= 3 * len(w) + 20]
            if matched:
                seen.update(matched)
            else:
                extra.append(item)
        missing = [wanted[w] for w in wanted if w not in seen]
        if extra:
            return False, f"lists items not expected: {extra[:3]}"
        if missing:
            return False, f"misses {missing}"
        return True, f"lists all {len(wanted)} items"


class RegexMatcher(_Matcher):
    """The pattern is found in the answer, with at most ``max_distinct`` different matching texts.

    A pattern only sees its own kind of text: against stuffing with other values, list them as distractors or
    ask for ``whole``.
    """

    kind: Literal["regex"] = "regex"
    pattern: str = Field(min_length=1)
    ignore_case: bool = True
    max_distinct: int = Field(default=1, ge=1)
    whole: bool = Field(default=False, description="the whole answer (trimmed, final period dropped) must match")
    distractors: list[str] = Field(default_factory=list)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    def match(self, answer: str) -> tuple[bool, str]:
        hit = named_distractor(answer, self.distractors)
        if hit is not None:
            return False, f"names the distractor {hit!r}"
        flags = re.I if self.ignore_case else 0
        if self.whole and not re.fullmatch(self.pattern, answer.strip().rstrip("."), flags):
            return False, f"the answer as a whole does not match /{self.pattern}/"
        found = {normalize(m.group(0)) for m in re.finditer(self.pattern, answer, flags)}
        if not found:
            return False, f"no match for /{self.pattern}/"
        if len(found) > self.max_distinct:
            return False, f"{len(found)} different matches for /{self.pattern}/: {sorted(found)[:4]}"
        return True, f"matches /{self.pattern}/"


Matcher = Annotated[TextMatcher | NumberMatcher | DateMatcher | SetMatcher | RegexMatcher, Field(discriminator="kind")]
