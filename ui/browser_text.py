"""Dutch for the one English message Streamlit's front end shows about a user's own action.

A file over `server.maxUploadSize` is refused by the uploader in the browser, before any Python runs,
with "File must be 20.0MB or smaller." (in the tooltip of the file and, for screen readers, as
"Error: ..." in an alert). Streamlit 1.67 has no option for that text (streamlit issue 13500), so a
constant script of our own rewrites it in place, wherever and whenever it appears.
"""

from __future__ import annotations

import streamlit as st


def use_dutch_upload_messages() -> None:
    """Register the rewrite once per browser tab (it guards itself; calling it on every run is fine)."""
    # A constant script of our own, never user content (tests/test_safe_output.py ALLOWED_HTML).
    st.html(
        """<script>
(() => {
  if (window.wijkmodelBrowserText) return;
  window.wijkmodelBrowserText = true;
  const tooLarge = /File must be ([0-9.]+) ?([KMGT]?B) or smaller\\./g;
  const dutch = (_, size, unit) =>
    "Het bestand is groter dan " + String(Number(size)).replace(".", ",") + " " + unit + ". Kies een kleiner bestand.";
  const fix = (node) => {
    if (!node.textContent || !node.textContent.includes("File must be")) return;
    const texts = node.nodeType === Node.TEXT_NODE ? [node] : [];
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const text of texts) {
      const changed = text.data.replace(tooLarge, dutch);
      if (changed === text.data) continue;
      text.data = changed.replace(/^Error: /, "Fout: ");
      const before = text.previousSibling;  // the alert for screen readers: "Error: " is a text of its own
      if (before && before.nodeType === Node.TEXT_NODE && before.data === "Error: ") before.data = "Fout: ";
    }
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fix(m.target);
      else m.addedNodes.forEach(fix);
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  fix(document.body);
})();
</script>""",
        unsafe_allow_javascript=True,
    )
