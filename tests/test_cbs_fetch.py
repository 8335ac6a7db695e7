"""Fetching from CBS open data, fully offline: the tests record CBS's answers themselves.

The HTTP layer is replaced at requests' transport adapter (`HTTPAdapter.send`), below cbsodata
and requests' Session, so the real request building, paging and error handling run. Name lookup
and socket connects fail the test if anything would still go out to the network.
The bodies follow the OData v3 JSON that opendata.cbs.nl returns (codes and names padded with
spaces as CBS does); the figures are made up.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import requests
from requests.adapters import HTTPAdapter

from wijkmodel.wijkdata.cbs_fetch import (
    OFFLINE_MESSAGE,
    TIMEOUT,
    CbsFetchError,
    FetchedTable,
    available_indicators,
    fetch_municipality,
)

FEED = "https://opendata.cbs.nl/ODataFeed/odata/85984NED/"

TABLE_INFOS = {
    "odata.metadata": FEED + "$metadata#Cbs.OData.TableInfo",
    "value": [
        {
            "ID": 0,
            "Title": "Kerncijfers wijken en buurten 2024",
            "ShortTitle": "Kerncijfers wijken en buurten 2024",
            "Identifier": "85984NED",
            "Summary": "Kerncijfers van wijken en buurten",
            "Modified": "2025-03-25T02:00:00",
            "Language": "nl",
            "Catalog": "CBS",
            "Frequency": "Perjaar",
            "Period": "2024",
            "OutputStatus": "Regulier",
            "RecordCount": 17234,
            "ColumnCount": 120,
        }
    ],
}


def _topic(id_: int, position: int, key: str, title: str, datatype: str, unit: str = "aantal") -> dict[str, Any]:
    return {
        "odata.type": "Cbs.OData.Topic",
        "ID": id_,
        "Position": position,
        "ParentID": 1,
        "Type": "Topic",
        "Key": key,
        "Title": title,
        "Description": None,
        "Datatype": datatype,
        "Unit": unit,
        "Decimals": 0 if datatype != "Double" else 1,
        "Default": "Impossible" if datatype == "String" else "Missing",
    }


DATA_PROPERTIES: dict[str, Any] = {
    "odata.metadata": FEED + "$metadata#Cbs.OData.DataProperties",
    "value": [
        {
            "odata.type": "Cbs.OData.GeoDimension",
            "ID": 0,
            "Position": 0,
            "ParentID": None,
            "Type": "GeoDimension",
            "Key": "WijkenEnBuurten",
            "Title": "Wijken en buurten",
            "Description": None,
            "MapYear": "2024",
            "ReleasePolicy": True,
        },
        {
            "odata.type": "Cbs.OData.TopicGroup",
            "ID": 1,
            "ParentID": None,
            "Type": "TopicGroup",
            "Key": "",
            "Title": "Regioaanduiding",
            "Description": None,
        },
        _topic(2, 1, "Gemeentenaam_1", "Gemeentenaam", "String", "Tekst"),
        _topic(3, 2, "SoortRegio_2", "Soort regio", "String", "Tekst"),
        _topic(4, 3, "Codering_3", "Codering", "String", "Tekst"),
        # Listed out of position order on purpose: the list follows Position.
        _topic(7, 6, "JongerenMetJeugdzorgInNatura_91", "Jongeren met jeugdzorg in natura", "Double", "%"),
        _topic(5, 4, "AantalInwoners_5", "Aantal inwoners", "Long"),
        _topic(6, 5, "GemiddeldeHuishoudensgrootte_32", "Gemiddelde huishoudensgrootte", "Double"),
    ],
}


def _dimension(*rows: tuple[str, str]) -> dict[str, Any]:
    return {
        "odata.metadata": FEED + "$metadata#WijkenEnBuurten&$select=Key,Title",
        "value": [{"Key": key, "Title": title} for key, title in rows],
    }


def _data(*rows: dict[str, Any], next_link: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"odata.metadata": FEED + "$metadata#Cbs.OData.TypedDataSet", "value": list(rows)}
    if next_link:
        body["odata.nextLink"] = next_link
    return body


def _row(code: str, municipality: str, kind: str, inhabitants: int | None, youth: float | None) -> dict[str, Any]:
    return {
        "WijkenEnBuurten": code,
        "Gemeentenaam_1": municipality,
        "SoortRegio_2": kind,
        "AantalInwoners_5": inhabitants,
        "JongerenMetJeugdzorgInNatura_91": youth,
    }


AMSTERDAM = "Amsterdam".ljust(40)
AMSTERDAM_ROWS = [
    _row("GM0363    ", AMSTERDAM, "Gemeente  ", 931298, 9.5),
    _row("WK036300  ", AMSTERDAM, "Wijk      ", 4615, None),
    _row("WK036301  ", AMSTERDAM, "Wijk      ", 4820, 0.00004),
]
AMSTERDAM_NAMES = _dimension(
    ("GM0363    ", "Amsterdam"), ("WK036301  ", "Burgwallen-Nieuwe Zijde"), ("WK036300  ", "Burgwallen-Oude Zijde")
)

Handler = dict[str, Any] | bytes | int | Exception | list[Any]


class FakeCbs:
    """Table 85984NED's answers per resource (TableInfos, DataProperties, TypedDataSet, WijkenEnBuurten).

    Records every request. An answer is a JSON body, raw bytes (status 200), an HTTP status code,
    an exception to raise, or a list of these answered in turn (pages).
    """

    def __init__(self) -> None:
        self.answers: dict[str, Handler] = {}
        self.calls: list[tuple[str, dict[str, list[str]], dict[str, Any]]] = []

    def resources(self) -> list[str]:
        return [url.rstrip("/").rsplit("/", 1)[-1] for url, _, _ in self.calls]

    def params(self, resource: str) -> dict[str, str]:
        [query] = [q for url, q, _ in self.calls if url.rstrip("/").endswith("/" + resource)]
        return {k: v[0] for k, v in query.items()}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        url = f"{parts.scheme}://{parts.netloc}{parts.path}"
        self.calls.append((url, parse_qs(parts.query), kwargs))
        resource = url.rstrip("/").rsplit("/", 1)[-1]
        # Only table 85984NED exists here; CBS answers 404 for any other.
        answer = self.answers.get(resource, 404) if url.startswith(FEED) else 404
        if isinstance(answer, list):
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, content = (answer, b"") if isinstance(answer, int) else (200, answer)
        response = requests.Response()
        response.status_code = status
        response.reason = HTTPStatus(status).phrase
        response._content = content if isinstance(content, bytes) else json.dumps(content).encode()
        response.headers["Content-Type"] = "application/json;odata=minimalmetadata;charset=utf-8"
        response.url = request.url or ""
        response.request = request
        return response


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every name lookup fails as it does offline (and is recorded); a socket connect fails the test."""
    lookups: list[str] = []

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def connect(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"a test tried to open a real connection to {address}")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return lookups


@pytest.fixture
def cbs(monkeypatch: pytest.MonkeyPatch) -> FakeCbs:
    fake = FakeCbs()
    fake.answers = {
        "TableInfos": TABLE_INFOS,
        "DataProperties": DATA_PROPERTIES,
        "TypedDataSet": _data(*AMSTERDAM_ROWS),
        "WijkenEnBuurten": AMSTERDAM_NAMES,
    }

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        return fake.send(request, **kwargs)

    monkeypatch.setattr(HTTPAdapter, "send", send)
    return fake


def _one_sentence(message: str) -> bool:
    # A sentence ends with . ! or ? before a space or the end ("(geen internet?)" does not end one).
    return message[:1].isupper() and len(re.findall(r"[.!?](?:\s|$)", message)) == 1 and message.endswith(".")


def _error(call: Callable[[], object]) -> str:
    with pytest.raises(CbsFetchError) as info:
        call()
    message = str(info.value)
    assert message == info.value.message
    assert _one_sentence(message), message
    return message


EXPECTED = pd.DataFrame(
    {
        "WijkenEnBuurten": ["GM0363    ", "WK036300  ", "WK036301  "],
        "Wijknaam": ["Amsterdam", "Burgwallen-Oude Zijde", "Burgwallen-Nieuwe Zijde"],
        "Gemeentenaam_1": [AMSTERDAM] * 3,
        "SoortRegio_2": ["Gemeente  ", "Wijk      ", "Wijk      "],
        "AantalInwoners_5": ["931298", "4615", "4820"],
        "JongerenMetJeugdzorgInNatura_91": ["9.5", "", "0.00004"],
    },
    dtype=str,
)


@pytest.mark.parametrize("code", ["GM0363", "gm0363", " 0363 ", "363"])
def test_fetch_by_code_gives_the_raw_cbs_layout_with_a_small_filtered_download(cbs: FakeCbs, code: str) -> None:
    fetched = fetch_municipality(
        "85984NED", municipality_code=code, indicators=["AantalInwoners", "JongerenMetJeugdzorgInNatura_91"]
    )

    assert isinstance(fetched, FetchedTable)
    pd.testing.assert_frame_equal(fetched.table, EXPECTED)
    assert (fetched.table_id, fetched.year, fetched.title) == ("85984NED", "2024", "Kerncijfers wijken en buurten 2024")
    assert fetched.source == "CBS 85984NED (Kerncijfers wijken en buurten 2024)"

    assert cbs.resources() == ["TableInfos", "DataProperties", "TypedDataSet", "WijkenEnBuurten"]
    assert all(url.startswith(FEED) for url, _, _ in cbs.calls)
    assert all(kwargs.get("timeout") == TIMEOUT for _, _, kwargs in cbs.calls)
    data = cbs.params("TypedDataSet")
    assert data["$filter"] == "startswith(WijkenEnBuurten,'GM0363') or startswith(WijkenEnBuurten,'WK0363')"
    assert data["$select"] == (
        "WijkenEnBuurten,Gemeentenaam_1,SoortRegio_2,AantalInwoners_5,JongerenMetJeugdzorgInNatura_91"
    )
    names = cbs.params("WijkenEnBuurten")
    assert names["$filter"] == data["$filter"]
    assert names["$select"] == "Key,Title"


def test_without_a_choice_every_numeric_indicator_is_fetched(cbs: FakeCbs) -> None:
    fetch_municipality("85984ned", municipality_code="GM0363")

    assert cbs.calls[0][0] == FEED + "TableInfos"
    assert cbs.params("TypedDataSet")["$select"].split(",") == [
        "WijkenEnBuurten",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "AantalInwoners_5",
        "GemiddeldeHuishoudensgrootte_32",
        "JongerenMetJeugdzorgInNatura_91",
    ]


def test_fetch_by_name_quotes_it_and_keeps_only_that_municipality(cbs: FakeCbs) -> None:
    bosch = "'s-Hertogenbosch".ljust(40)
    cbs.answers["TypedDataSet"] = _data(
        _row("WK079601  ", bosch, "Wijk      ", 5000, 12.0),
        _row("GM0796    ", bosch, "Gemeente  ", 160000, 10.25),
        # A longer name with the same start, as a prefix filter also returns it.
        _row("WK999901  ", "'s-Hertogenbosch-Noord".ljust(40), "Wijk      ", 1, 1.0),
    )
    cbs.answers["WijkenEnBuurten"] = _dimension(("GM0796    ", "'s-Hertogenbosch"), ("WK079601  ", "Binnenstad"))

    fetched = fetch_municipality("85984NED", municipality_name="  's-Hertogenbosch ", indicators=["AantalInwoners_5"])

    assert fetched.table["WijkenEnBuurten"].tolist() == ["GM0796    ", "WK079601  "]
    assert fetched.table["Wijknaam"].tolist() == ["'s-Hertogenbosch", "Binnenstad"]
    assert fetched.table["AantalInwoners_5"].tolist() == ["160000", "5000"]
    assert cbs.params("TypedDataSet")["$filter"] == (
        "startswith(Gemeentenaam_1,'''s-Hertogenbosch') and "
        "(startswith(WijkenEnBuurten,'GM') or startswith(WijkenEnBuurten,'WK'))"
    )
    assert cbs.params("WijkenEnBuurten")["$filter"] == (
        "startswith(WijkenEnBuurten,'GM0796') or startswith(WijkenEnBuurten,'WK0796')"
    )


def test_all_pages_are_read(cbs: FakeCbs) -> None:
    cbs.answers["TypedDataSet"] = [
        _data(*AMSTERDAM_ROWS[:2], next_link=FEED + "TypedDataSet?$skiptoken=2"),
        _data(*AMSTERDAM_ROWS[2:]),
    ]

    fetched = fetch_municipality("85984NED", municipality_code="GM0363", indicators=["AantalInwoners_5"])

    assert fetched.table["AantalInwoners_5"].tolist() == ["931298", "4615", "4820"]
    assert cbs.resources().count("TypedDataSet") == 2
    assert all(kwargs.get("timeout") == TIMEOUT for _, _, kwargs in cbs.calls)


@pytest.mark.parametrize(
    "failure",
    [requests.ConnectionError("no route"), requests.ConnectTimeout("slow"), requests.ReadTimeout("slow")],
    ids=["connection", "connect-timeout", "read-timeout"],
)
def test_offline_gives_one_clear_sentence(cbs: FakeCbs, failure: Exception) -> None:
    cbs.answers["TableInfos"] = failure
    cbs.answers["DataProperties"] = failure

    assert _error(lambda: fetch_municipality("85984NED", municipality_code="GM0363")) == OFFLINE_MESSAGE
    assert _error(lambda: available_indicators("85984NED")) == OFFLINE_MESSAGE
    assert cbs.resources() == ["TableInfos", "DataProperties"]


def test_a_failing_name_lookup_through_the_real_http_stack_is_offline(no_network: list[str]) -> None:
    # No fake adapter here: requests and urllib3 run as they do on a machine without internet.
    assert _error(lambda: fetch_municipality("85984NED", municipality_code="GM0363")) == OFFLINE_MESSAGE
    assert no_network


def test_offline_halfway_commits_nothing(cbs: FakeCbs) -> None:
    cbs.answers["WijkenEnBuurten"] = requests.ConnectionError("gone")

    assert _error(lambda: fetch_municipality("85984NED", municipality_code="GM0363")) == OFFLINE_MESSAGE


def test_unknown_table_names_the_table_id(cbs: FakeCbs) -> None:
    message = _error(lambda: fetch_municipality("12345NED", municipality_code="GM0363"))

    assert "12345NED" in message
    assert "kent geen tabel" in message
    assert cbs.resources() == ["TableInfos"]
    assert "12345NED" in _error(lambda: available_indicators("12345NED"))


@pytest.mark.parametrize("status", [500, 503, 400])
def test_other_http_errors_name_the_table_and_the_code(cbs: FakeCbs, status: int) -> None:
    cbs.answers["TypedDataSet"] = status

    message = _error(lambda: fetch_municipality("85984NED", municipality_code="GM0363"))

    assert "85984NED" in message
    assert str(status) in message
    assert message != OFFLINE_MESSAGE


def test_an_answer_that_is_not_cbs_json_is_reported(cbs: FakeCbs) -> None:
    cbs.answers["TypedDataSet"] = b"<html>Onderhoud</html>"

    message = _error(lambda: fetch_municipality("85984NED", municipality_code="GM0363"))

    assert "onverwacht antwoord" in message
    assert "85984NED" in message


@pytest.mark.parametrize("table_id", ["", "85984", "8598NED", "85984NEDX", "85984NED' or 1", "../85984NED"])
def test_a_bad_table_id_makes_no_request(cbs: FakeCbs, no_network: list[str], table_id: str) -> None:
    message = _error(lambda: fetch_municipality(table_id, municipality_code="GM0363"))
    assert "85984NED" in message  # the example of a good id
    _error(lambda: available_indicators(table_id))

    assert cbs.calls == []
    assert no_network == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"municipality_code": "GM03630"}, "GM gevolgd door 4 cijfers"),
        ({"municipality_code": "WK036300"}, "GM gevolgd door 4 cijfers"),
        ({}, "CBS-code"),
        ({"municipality_name": "   "}, "CBS-code"),
        ({"municipality_name": "Amster\x00dam"}, "naam van de gemeente"),
        ({"municipality_code": "GM0363", "indicators": []}, "minstens één indicator"),
    ],
)
def test_bad_municipality_or_choice_makes_no_request(cbs: FakeCbs, arguments: dict[str, Any], expected: str) -> None:
    assert expected in _error(lambda: fetch_municipality("85984NED", **arguments))
    assert cbs.calls == []


@pytest.mark.parametrize(
    ("arguments", "answer", "expected"),
    [
        ({"municipality_code": "GM9999"}, _data(), "Gemeente GM9999 staat niet in CBS-tabel 85984NED"),
        (
            {"municipality_name": "Bergen"},
            _data(
                _row("GM0893    ", "Bergen (L.)".ljust(40), "Gemeente  ", 13000, None),
                _row("GM0373    ", "Bergen (NH.)".ljust(40), "Gemeente  ", 30000, None),
            ),
            "Gemeente 'Bergen' staat niet in CBS-tabel 85984NED",
        ),
    ],
    ids=["code", "name"],
)
def test_a_municipality_not_in_the_table_is_said_clearly(
    cbs: FakeCbs, arguments: dict[str, Any], answer: dict[str, Any], expected: str
) -> None:
    cbs.answers["TypedDataSet"] = answer

    message = _error(lambda: fetch_municipality("85984NED", **arguments))

    assert message.startswith(expected)
    assert "Kerncijfers wijken en buurten 2024" in message
    assert "WijkenEnBuurten" not in cbs.resources()


def test_available_indicators_are_the_numeric_topics_in_order(cbs: FakeCbs) -> None:
    assert available_indicators(" 85984ned ") == [
        ("AantalInwoners_5", "Aantal inwoners"),
        ("GemiddeldeHuishoudensgrootte_32", "Gemiddelde huishoudensgrootte"),
        ("JongerenMetJeugdzorgInNatura_91", "Jongeren met jeugdzorg in natura"),
    ]
    assert [url for url, _, _ in cbs.calls] == [FEED + "DataProperties"]
    assert cbs.calls[0][2]["timeout"] == TIMEOUT


def test_an_unknown_indicator_is_named_before_the_data_is_fetched(cbs: FakeCbs) -> None:
    message = _error(
        lambda: fetch_municipality("85984NED", municipality_code="GM0363", indicators=["AantalInwoners", "Geluk_7"])
    )

    assert "Geluk_7" in message
    assert "TypedDataSet" not in cbs.resources()


def test_a_table_without_wijken_and_buurten_is_refused(cbs: FakeCbs) -> None:
    cbs.answers["DataProperties"] = {"value": [p for p in DATA_PROPERTIES["value"] if p["Key"] != "WijkenEnBuurten"]}

    assert "geen tabel met kerncijfers van wijken en buurten" in _error(lambda: available_indicators("85984NED"))
