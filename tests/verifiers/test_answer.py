"""Answer matchers accept the forms people write and reject stuffed answers and distractors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clawgym.verifiers import DateMatcher, NumberMatcher, RegexMatcher, SetMatcher, TextMatcher
from clawgym.verifiers.answer import codes, dates, items, normalize, numbers

AMOUNT = NumberMatcher(expected=1234.5)
DAY = DateMatcher(expected="2026-03-05")
CODE = TextMatcher(expected="ABC-1234", distractors=["XYZ-9876"])
PLACE = TextMatcher(expected="Blue Bottle Cafe", distractors=["Blue Bottle Bakery"])
PEOPLE = SetMatcher(expected=["Alice Smith", "Bob Jones", "Salt & Pepper"], distractors=["Dave Moss"])


@pytest.mark.parametrize("answer", ["1234.5", "1,234.50", "$1234.5", "$1,234.50", "Total: 1234.50 USD",
                                    "It came to $1,234.50 on March 5, 2026.", "1234.50 (paid at 15:30)"])
def test_number_accepts_varied_forms(answer: str) -> None:
    assert AMOUNT.match(answer)[0], AMOUNT.match(answer)


@pytest.mark.parametrize("answer", ["1234.5 or 1250", "1234.50, 1243.50, 1324.50, 1432.50, 999", "about 1,200",
                                    "I could not find it", "12 items for $1234.50"])
def test_number_rejects_stuffed_and_wrong_answers(answer: str) -> None:
    assert not AMOUNT.match(answer)[0]


def test_number_tolerance_and_distractors() -> None:
    assert NumberMatcher(expected=100, abs_tol=0.5).match("100.40")[0]
    assert NumberMatcher(expected=100, rel_tol=0.01).match("$100.90")[0]
    assert not NumberMatcher(expected=100, rel_tol=0.01).match("$102")[0]
    assert NumberMatcher(expected=-45).match("-$45.00")[0]
    assert NumberMatcher(expected=3).match("three emails")[0]
    ok, why = NumberMatcher(expected=42, distractors=[24]).match("24")
    assert not ok and "distractor 24" in why


@pytest.mark.parametrize("answer", ["2026-03-05", "March 5, 2026", "5 Mar 2026", "03/05/2026", "Thursday, March 5th",
                                    "5th of March, 2026", "2026-03-05T15:00:00", "05.03.2026", "on 3/5/26",
                                    "Mar. 5 2026"])
def test_date_accepts_many_formats(answer: str) -> None:
    assert DAY.match(answer)[0], DAY.match(answer)


@pytest.mark.parametrize("answer", ["March 5 or March 6", "2026-03-04", "March 5, 2025", "March 2026", "soon",
                                    "2026-03-05, 2026-03-12, 2026-03-19"])
def test_date_rejects_other_or_extra_dates(answer: str) -> None:
    assert not DAY.match(answer)[0]


def test_date_distractor_is_named() -> None:
    ok, why = DateMatcher(expected="2026-03-05", distractors=["2026-03-02"]).match("March 2")
    assert not ok and "distractor 2026-03-02" in why


@pytest.mark.parametrize("answer", ["ABC-1234", "abc-1234", "Your code is ABC-1234.", "ABC1234",
                                    "The corrected code is ABC-1234 (sent 2026-01-20 at 10:30)."])
def test_code_accepts_the_code_in_a_sentence(answer: str) -> None:
    assert CODE.match(answer)[0], CODE.match(answer)


@pytest.mark.parametrize("answer", ["it is A-1234 or B-2345 or C-3456", "ABC-1234 or ABD-1234", "ABC-1234 or XYZ-9876",
                                    "ABC-1234, not XYZ-9876", "ABC-1243", "", "The code"])
def test_code_rejects_stuffing_distractors_and_near_misses(answer: str) -> None:
    assert not CODE.match(answer)[0]


@pytest.mark.parametrize("answer", ["blue bottle café", "They met at the Blue Bottle Cafe.", "BLUE-BOTTLE CAFE!",
                                    "The Blue Bottle Cafe, on Main Street."])
def test_text_accepts_normalized_and_short_containing_answers(answer: str) -> None:
    assert PLACE.match(answer)[0]


@pytest.mark.parametrize("answer", [
    "Blue Bottle Cafe or Blue Bottle Bakery", "Blue Bottle", "It is one of: Blue Bottle Cafe; Philz",
    "Blue Bottle Cafe or Philz", "Either Blue Bottle Cafe, or Philz", "- Blue Bottle Cafe\n- Philz",
    "Blue Bottle Cafe, Starbucks, Peets, Philz, Ritual, Sightglass, Verve, Four Barrel",
])
def test_text_rejects_distractors_partial_and_long_lists(answer: str) -> None:
    assert not PLACE.match(answer)[0]


def test_text_with_numbers_and_alternatives() -> None:
    pin = TextMatcher(expected="4821")
    assert pin.match("The PIN is 4821.")[0]
    assert not pin.match("4821 or 4822")[0]
    time_ = TextMatcher(expected="15:00", alternatives=["3 pm", "3pm"])
    assert time_.match("at 3pm")[0] and time_.match("15:00")[0] and not time_.match("4pm")[0]


@pytest.mark.parametrize("answer", ["Alice Smith, Bob Jones and Salt & Pepper",
                                    "The attendees are: Bob Jones; alice smith\n- salt and pepper",
                                    "1. Salt & Pepper\n2. Bob Jones\n3. Alice Smith (organizer)",
                                    "Alice Smith, Bob Jones, and Salt & Pepper."])
def test_set_accepts_any_order_and_separator(answer: str) -> None:
    assert PEOPLE.match(answer)[0], PEOPLE.match(answer)


@pytest.mark.parametrize("answer", ["Alice Smith, Bob Jones, Salt & Pepper, Carol King", "Alice Smith, Bob Jones",
                                    "Alice Smith or Bob Jones or Salt & Pepper or Dave Moss", "Alice, Bob, Salt"])
def test_set_rejects_extra_missing_and_distractor_items(answer: str) -> None:
    assert not PEOPLE.match(answer)[0]


def test_regex_counts_distinct_matches_and_whole_answers() -> None:
    at = RegexMatcher(pattern=r"\b15:00\b|\b3 ?pm\b")
    assert at.match("at 15:00")[0]
    assert not at.match("15:00 or 3pm")[0]
    assert RegexMatcher(pattern=r"\b15:00\b|\b3 ?pm\b", max_distinct=2).match("15:00 (3pm)")[0]
    whole = RegexMatcher(pattern=r"yes|no", whole=True)
    assert whole.match("Yes.")[0] and not whole.match("yes and no")[0]
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        RegexMatcher(pattern="(unclosed")


def test_extractors_find_numbers_codes_dates_and_items() -> None:
    assert normalize("  Dr. O'Neil!  ") == "dr o neil"
    assert numbers("pay $1,234.50 and -3 by 2026-03-05 at 10:30, ref AB-12") == [1234.5, -3.0]
    assert codes("ref AB-12 and 555-0134 on March 5th at 3pm") == {"AB12", "5550134"}
    assert len(dates("03/05/2026")[0][0]) == 2  # March 5 or May 3
    assert items("Here they are: a, b and c\n- d") == ["a", "b", "c", "d"]
