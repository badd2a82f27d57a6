"""The project's token rule: `tokens.count` (ASCII text counted from byte classes) agrees with the
rule's regular expression on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from emulator.agent import tokens

ASCII = st.text(st.characters(max_codepoint=127), max_size=60)
MIXED = st.text(st.sampled_from("ab_9 .,!?'\"-\t\n\r\x0b\x0c\x1c\x1f\x7f\x00éß€\u00a0\u2003日"), max_size=40)


@given(st.one_of(ASCII, MIXED, st.text(max_size=40)))
def test_count_is_the_rule_s_regular_expression(text):
    assert tokens.count(text) == len(tokens.TOKEN.findall(text))


def test_counts():
    assert tokens.count("Hello, world!") == 4
    assert [tokens.count(t) for t in (None, "", " ", "a", "_", "...", "a.b c", " x ")] == [0, 0, 0, 1, 1, 3, 4, 1]
