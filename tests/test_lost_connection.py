"""A save while PostgreSQL cannot be reached: the page says the save did not happen (not the general
error page), keeps what the user entered, and saves it with one click once the database is back.

The connection really breaks: the app talks to PostgreSQL through a small TCP relay in this test,
which the test cuts (closing every connection and refusing new ones) and opens again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.conftest import DemoRows, copy_demo, page
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.tables import Respondent, ThemePosition, Unit


class Relay:
    """Forwards 127.0.0.1:port to the PostgreSQL server; `cut()` breaks every connection."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if not self.open:
                    client.close()
                    continue
                server = socket.create_connection(self.target)
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with self.lock:
            self.open = False
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def restore(self) -> None:
        with self.lock:
            self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def relayed_demo(pg_url: str, demo_rows: DemoRows, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Relay]]:
    engine = make_engine(pg_url)
    copy_demo(engine, demo_rows)
    engine.dispose()
    url = make_url(pg_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    monkeypatch.setenv("WIJKMODEL_DATABASE_URL", url.set(host="127.0.0.1", port=relay.port).render_as_string(False))
    st.cache_resource.clear()
    yield pg_url, relay
    relay.close()
    st.cache_resource.clear()


def _position(url: str) -> float | None:
    with make_sessionmaker(make_engine(url))() as s:
        return s.scalar(
            select(ThemePosition.position)
            .join(Respondent, Respondent.id == ThemePosition.respondent_id)
            .join(Unit, Unit.id == Respondent.unit_id)
            .where(
                ThemePosition.theme_id == "visie_inspiratie",
                Respondent.role == "lokaal team",
                Unit.name == "Gemeente als geheel",
            )
            .order_by(Respondent.round_id.desc())
            .limit(1)
        )


def test_a_save_while_the_database_is_gone_says_so_keeps_the_input_and_can_be_retried(
    relayed_demo: tuple[str, Relay],
) -> None:
    pg_url, relay = relayed_demo
    at = page("app_pages/startpositie.py")
    before = _position(pg_url)
    new = 10 if before != 10 else 90
    relay.cut()
    at.select_slider[0].set_value(new).run()  # the tests show error details (at.exception): users do not
    shown = " ".join(e.value for e in at.error)
    assert "Opslaan is niet gelukt" in shown and "geen verbinding met de database" in shown
    assert "Er ging iets mis bij het tonen" not in shown  # not the general error page
    assert _position(pg_url) == before
    assert any(b.label == "Opnieuw opslaan" for b in at.button)
    relay.restore()
    at.run()  # the page can be drawn again: the input is still there, not yet saved
    assert at.select_slider[0].value == new and _position(pg_url) == before
    assert any("nog niet bewaard" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Opnieuw opslaan").click().run()
    assert not at.exception and not at.error and not at.warning
    assert _position(pg_url) == new
    assert not any(b.label == "Opnieuw opslaan" for b in at.button)
