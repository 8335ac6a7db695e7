"""Migration 0007 on a real database of revision 0006 (the demo): the region tables are made empty,
every row stays, and a region with sharing and a coordinator can be saved at once. On SQLite and on
PostgreSQL (the fixture copied there as `test_migrations` does)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select, text

from tests.test_migrations import FIXTURES, _copy_to_postgresql, _schema
from wijkmodel.storage.access import EVERYONE
from wijkmodel.storage.accounts import account_for_login
from wijkmodel.storage.db import make_engine, make_sessionmaker
from wijkmodel.storage.municipalities import find_municipality
from wijkmodel.storage.regions import create_region, set_coordinator, set_sharing, visible_members
from wijkmodel.storage.tables import Change, RegionSharing


def _check(url: str) -> None:
    engine = make_engine(url)  # upgraded to the newest revision
    factory = make_sessionmaker(engine)
    with factory() as s:
        for table in ("region", "region_member", "region_coordinator", "region_sharing"):
            assert s.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0  # noqa: S608 - our names
        changes = s.scalar(select(func.count()).select_from(Change))
    assert changes and changes > 100  # the demo's history is still there
    with factory.begin() as s:
        demo = find_municipality(session=s, name="Voorbeeldstad")
        assert demo is not None
        region = create_region(session=s, name="Regio na de upgrade", municipality_ids=[demo.id])
        set_sharing(session=s, municipality_id=demo.id, level=RegionSharing.TOTALS)
        account_for_login(session=s, issuer="http://127.0.0.1:9400", subject="r", email="r@regio.nl")
        set_coordinator(session=s, region_id=region.id, email="r@regio.nl", coordinates=True)
    with factory() as s:
        assert [m.name for m in visible_members(session=s, region_id=region.id, actor=EVERYONE)] == ["Voorbeeldstad"]
    engine.dispose()


def test_0007_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "wijkmodel.sqlite"
    shutil.copyfile(FIXTURES / "demo-0006.sqlite", path)
    _check(f"sqlite:///{path}")
    make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}").dispose()
    assert _schema(path) == _schema(tmp_path / "new.sqlite")  # as a new database gets it


def test_0007_on_postgresql(pg_url: str) -> None:
    _copy_to_postgresql(FIXTURES / "demo-0006.sqlite", pg_url)
    _check(pg_url)
