"""The check of tests/test_browser_dutch.py tells Streamlit's English from the app's Dutch (no browser
needed: a check that found nothing would pass every page)."""

from __future__ import annotations

from tests.test_browser_dutch import english


def test_the_check_knows_streamlits_english_from_dutch() -> None:
    assert english([["text", "Skip to main content"], ["aria-label", "Help for Wijk"], ["text", "dd-mm-yyyy"]]) == [
        "aria-label: Help for Wijk",
        "text: Skip to main content",
        "text: dd-mm-yyyy",
    ]
    dutch = ["Stoppen", "Zoeken", "Uitleg bij Wijk", "Kies een wijk", "Hoogstens 20 MB per bestand", "dd-mm-jjjj"]
    assert english([["text", text] for text in dutch]) == []
