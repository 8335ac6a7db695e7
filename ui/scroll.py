"""Back to the top of the page when a step button ('Volgende: <wijk>', ui/context.unit_steps) is
clicked: the next wijk's inputs start at the top, and the button sits at the foot of a long page.
Streamlit keeps the scroll position across a rerun and has no way to set it."""

from __future__ import annotations

import streamlit as st


def scroll_up_on_steps() -> None:
    """Register the listener once per browser tab (it guards itself; calling it on every run is fine)."""
    # A constant script of our own, never user content (tests/test_safe_output.py ALLOWED_HTML).
    st.html(
        """<script>
(() => {
  if (window.wijkmodelSteps) return;
  window.wijkmodelSteps = true;
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".st-key-vorige_wijk, .st-key-volgende_wijk")) return;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({ top: 0 });
    window.scrollTo({ top: 0 });
  }, true);
})();
</script>""",
        unsafe_allow_javascript=True,
    )
