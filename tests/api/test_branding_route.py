"""GET /api/branding/{id}/logo: public, from our storage, versioned by content hash, with safe headers."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.models import Role
from mediashare.services import auth, branding
from tests.factories import make_user
from tests.services.test_branding import GOOD, picture

ORIGIN = "http://localhost:8000"
CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def client(database_url: str) -> TestClient:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def test_anyone_gets_the_logo_as_png_cached_for_good_under_its_hash(client: TestClient, session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    branding.save(session, actor=reseller, client=CLIENT, **GOOD)
    row = branding.set_logo(session, actor=reseller, client=CLIENT, upload=picture(), filename="logo.png")
    url = branding.effective(session, reseller).logo_url
    assert url == routes.brand_logo_url(row.id, row.logo_hash)

    response = client.get(url)  # no session cookie: the logo belongs on a sign-in page
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in response.headers["cache-control"] and "max-age=31536000" in response.headers["cache-control"]
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content

    stale = client.get(routes.brand_logo_url(row.id, "0000000000000000"))  # an old version's URL
    assert stale.status_code == 200 and "immutable" not in stale.headers["cache-control"]


def test_missing_logos_and_bad_ids_are_404(client: TestClient, session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    row = branding.save(session, actor=reseller, client=CLIENT, **GOOD)  # no logo yet
    for branding_id in (str(row.id), "999999", "abc", "-1"):
        response = client.get(routes.API_BRAND_LOGO.format(branding_id=branding_id))
        assert response.status_code == 404 and response.headers["cache-control"] == "no-store"
