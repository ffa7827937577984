"""The bank's control-character rule: Unicode category Cc, newline and tab aside.

Checked with one regex search per field instead of a category lookup per
character, so the bundled banks (which every command loads) load in half the time.
"""

from __future__ import annotations

import sys
import unicodedata


def test_the_bank_control_rule_is_unicode_category_cc() -> None:
    from voice_mock.bank import _CONTROL

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    matched = set(_CONTROL.findall(every))
    expected = {ch for ch in every if unicodedata.category(ch) == "Cc"} - {"\n", "\t"}
    assert matched == expected
