"""wijkmodel: router only. Page config, navigation, shared sidebar (gemeente, ronde); pages do the rest."""

from pathlib import Path

import streamlit as st

from ui import address
from ui.browser_text import use_dutch_browser_texts
from ui.context import sidebar_context
from ui.login import logged_in_line, require_login
from ui.menu import menu
from ui.messages import set_document_language, show_flash, show_unexpected_error
from ui.pages import INVITATION, PAGES, REGION_PAGE, RESPONDENT_PAGE
from ui.resources import freeze_startup_heap
from ui.scroll import scroll_up_on_steps
from ui.who import remember_in_browser

# the icon from our own server: a ":material/...:" page icon is fetched from fonts.gstatic.com
st.set_page_config(page_title="wijkmodel", page_icon=Path(__file__).parent / "static" / "hub.png", layout="wide")
set_document_language()

if st.query_params.get(INVITATION):  # an invitation link: its page alone, without login or menu (issue 19)
    st.set_page_config(initial_sidebar_state="collapsed")
    try:
        invited = st.Page(RESPONDENT_PAGE.path, title=RESPONDENT_PAGE.title, icon=RESPONDENT_PAGE.icon, default=True)
        st.navigation([invited], position="hidden").run()
    except Exception as exc:  # noqa: BLE001 - the last net, as below
        show_unexpected_error(exc)
    finally:
        freeze_startup_heap()
    st.stop()

pages = [st.Page(p.path, title=p.title, icon=p.icon, default=i == 0) for i, p in enumerate(PAGES)]
# the menu is drawn below the pickers (ui/menu.py): Streamlit's own menu sits above every sidebar
# widget, which put Gemeente and Ronde below the fold at 1280x720
navigation = st.navigation(pages, position="hidden")
# the sidebar per page (Presenteren: collapsed, the slide gets the screen); set on every run, so a
# page that says nothing gets 'auto' back instead of keeping the last page's state
spec = next(spec for page, spec in zip(pages, PAGES, strict=True) if page is navigation)
st.set_page_config(initial_sidebar_state=spec.sidebar)
address.start_run()
try:
    login = require_login()  # with [auth] configured: a logged-in account with a role, or a page saying why not
    if login is not None and not login.roles:  # a regiocoördinator only: the page Regio alone (issue 20)
        if spec is not REGION_PAGE:
            st.switch_page(next(page for page, s in zip(pages, PAGES, strict=True) if s is REGION_PAGE))
        st.session_state["context"] = None
        with st.sidebar:
            logged_in_line(login)
        navigation.run()
        st.stop()
    st.session_state["context"] = sidebar_context(allowed=set(login.roles) if login else None)
    with st.sidebar:
        menu(pages)
        if login is not None:
            logged_in_line(login)
        st.caption("wijkmodel · volwassenheid van wijkgericht werken per wijk")
        remember_in_browser()
        scroll_up_on_steps()
        use_dutch_browser_texts()  # last in the sidebar: its empty element pushes nothing down
    navigation.run()
    address.keep_only_used()
except Exception as exc:  # noqa: BLE001 - the last net; st.stop and st.rerun are BaseExceptions and pass
    show_flash(page_failed=True)  # a save that failed just before (the database went away) says so, with its retry
    show_unexpected_error(exc)
finally:
    freeze_startup_heap()  # once per process, also after a page that stopped early (st.stop)
