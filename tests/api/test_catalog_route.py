"""The byte route for catalog viewers: the audience streams (after paying, for priced entries),
everyone else — and everyone once it is unpublished — gets 404."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare.models import Role
from mediashare.services import catalog, ledger
from tests.api.test_media_route import _sign_in, client  # noqa: F401  (fixture)
from tests.factories import make_user
from tests.services.test_catalog import publish, video


def test_audience_outsiders_payment_and_unpublishing_over_http(client: TestClient, session: Session,  # noqa: F811
                                                               tmp_path: Path) -> None:
    reseller, other = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    customer, outsider = make_user(session, parent=reseller), make_user(session, parent=other)
    ledger.grant(session, actor=None, to=customer, amount=5)
    item = video(session, reseller, tmp_path)
    entry = publish(session, reseller, item, price=2)
    path = f"/api/media/{item.id}"
    _sign_in(client, session, outsider)
    assert [client.get(f"{path}/{variant}").status_code for variant in ("original", "thumbnail", "download")] == \
        [404, 404, 404]
    _sign_in(client, session, customer)
    assert client.get(f"{path}/thumbnail").status_code == 200
    refused = client.get(f"{path}/original")
    assert refused.status_code == 402 and "2 credits" in refused.text
    assert client.get(f"{path}/download").status_code == 404
    catalog.start_play(session, actor=customer, entry_id=entry.id)
    assert client.get(f"{path}/original").content == (tmp_path / "film.mp4").read_bytes()
    assert client.get(f"{path}/original", headers={"Range": "bytes=0-9"}).status_code == 206  # seeking: free
    assert ledger.balance(session, user=customer) == 3
    catalog.unpublish(session, actor=reseller, entry_id=entry.id)
    assert [client.get(f"{path}/{variant}").status_code for variant in ("original", "thumbnail")] == [404, 404]
