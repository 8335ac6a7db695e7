"""Who fills in: the role (perspective) and optional label under which answers are stored.

Chosen explicitly the first time (no role is assumed: a wrong default would file a policy officer's
answers under another perspective), then kept across pages in the session and across reloads in a
cookie of this browser. Not in the address: a link sent to a colleague must not fill in for them.

The cookie is written by a constant script of our own (tests/test_safe_output.py allows only
constant HTML): it reads the choice from the class of an empty marker container, `st-key-wm-who-`
followed by the role's number and the label's UTF-8 bytes in hex, so no user text reaches a script."""

from __future__ import annotations

import streamlit as st

from ui.context import ROLES, _keep, _remembered

COOKIE = "wm_who"
_MARKER = "wm-who-"
_LABEL_MAX = 100


def encode_who(role: str, label: str) -> str:
    """The cookie's (and the marker's) text: the role's number and the label in hex."""
    return f"{ROLES.index(role)}-{label.encode('utf-8').hex()}"


def decode_who(raw: object) -> tuple[str, str] | None:
    """Role and label from a cookie's text; None for anything this app did not write (the cookie
    is the browser's: it may be old, edited or garbage)."""
    if not isinstance(raw, str) or not raw:  # AppTest's st.context gives a stand-in object
        return None
    number, _, hexed = raw.partition("-")
    if not number.isascii() or not number.isdigit() or int(number) >= len(ROLES):
        return None
    try:
        label = bytes.fromhex(hexed).decode("utf-8")
    except ValueError:
        return None
    if len(label) > _LABEL_MAX or any(ord(c) < 32 for c in label):
        return None
    return ROLES[int(number)], label


def respondent_picker() -> tuple[str, str] | None:
    """Role and optional label of the person (or group) filling in; None while no role is chosen."""
    state = st.session_state
    if "role" not in state and (remembered := decode_who(st.context.cookies.get(COOKIE))) is not None:
        state["role"], state["respondent_label"] = remembered
    col_role, col_label = st.columns([1, 1])
    role = col_role.selectbox(
        "Wie vult in? (rol)",
        ROLES,
        key=_remembered("role", None),
        on_change=_keep,
        args=("role",),
        placeholder="Kies uw rol",
        help="Uw rol bepaalt onder welk perspectief uw antwoorden worden bewaard (zie Perspectieven).",
    )
    label = col_label.text_input(
        "Label (optioneel, bijvoorbeeld ‘team Noord’; geen namen van personen)",
        key=_remembered("respondent_label", ""),
        on_change=_keep,
        args=("respondent_label",),
        max_chars=_LABEL_MAX,
    )
    if role is None:
        return None
    return role, label


def who_line(role: str, label: str) -> str:
    """'U vult in als: gemeente · team Noord', shown beside the inputs (plain text)."""
    return f"U vult in als: {role}" + (f" · {label}" if label else "")


def remember_in_browser() -> None:
    """Keep the chosen role in this browser's cookie (call once per run, in the sidebar)."""
    role, label = st.session_state.get("role"), st.session_state.get("respondent_label", "")
    if role in ROLES and len(label) <= _LABEL_MAX:
        with st.sidebar.container(key=_MARKER + encode_who(role, label), height=1, border=False):
            st.empty()
    # A constant script of our own, never user content (tests/test_safe_output.py ALLOWED_HTML).
    st.sidebar.html(
        """<script>
(() => {
  const store = () => {
    const marker = document.querySelector('[class*="st-key-wm-who-"]');
    if (!marker) return;
    const name = [...marker.classList].find((c) => c.startsWith("st-key-wm-who-"));
    document.cookie = "wm_who=" + name.slice("st-key-wm-who-".length) + "; path=/; max-age=31536000; SameSite=Strict";
  };
  if (!window.wijkmodelWho) {
    window.wijkmodelWho = true;
    new MutationObserver(store).observe(document.body, { childList: true, subtree: true });
  }
  store();
})();
</script>""",
        unsafe_allow_javascript=True,
    )
