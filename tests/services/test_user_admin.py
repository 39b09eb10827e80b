"""The account list (scope, search, filters, sorting, pages) and what admins do to an account."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, MediashareError, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, AuthSession, Device, Role, User, utc_now
from mediashare.services import auth, credentials, user_admin
from mediashare.services.user_admin import Scope, Sort, UserFilter
from tests.conftest import Mailbox
from tests.factories import PASSWORD
from tests.tree import SHAPE, build_tree

CLIENT = auth.Client(ip="198.51.100.20", user_agent="Mozilla/5.0 admin browser")


@pytest.fixture
def tree(session: Session) -> dict[str, User]:
    return build_tree(session)


def names(page: user_admin.UserPage) -> list[str]:
    return [row.username for row in page.rows]


def listing(session: Session, actor: User, scope: Scope = Scope.EVERYONE, **options) -> user_admin.UserPage:
    options.setdefault("page_size", 100)
    return user_admin.list_users(session, actor=actor, scope=scope, **options)


# Scope -------------------------------------------------------------------------------------------


def test_a_reseller_sees_exactly_its_descendants(tree: dict[str, User], session: Session) -> None:
    page = listing(session, tree["reseller1"], Scope.TEAM)
    assert sorted(names(page)) == ["cust1a", "cust1b", "custsub", "subres"]
    assert page.total == 4
    assert all(row.manageable for row in page.rows)
    assert names(listing(session, tree["subres"], Scope.TEAM)) == ["custsub"]
    assert names(listing(session, tree["reseller2"], Scope.TEAM)) == ["cust2a"]


def test_a_reseller_never_finds_accounts_outside_its_team(tree: dict[str, User], session: Session) -> None:
    for q in ("cust2a", "admin", "root", "example.com", "Reseller2"):
        page = listing(session, tree["reseller1"], Scope.TEAM, filters=UserFilter(q=q))
        assert set(names(page)) <= {"cust1a", "cust1b", "custsub", "subres"}, q
    assert listing(session, tree["reseller1"], Scope.TEAM, filters=UserFilter(q="cust2a")).total == 0


def test_only_admins_list_everyone_and_users_list_nothing(tree: dict[str, User], session: Session) -> None:
    with pytest.raises(PermissionDenied):
        listing(session, tree["reseller1"], Scope.EVERYONE)
    with pytest.raises(PermissionDenied):
        listing(session, tree["cust1a"], Scope.TEAM)


def test_admins_see_everyone_but_superusers_and_fellow_admins_are_read_only(
    tree: dict[str, User], session: Session
) -> None:
    page = listing(session, tree["admin1"])
    assert page.total == len(SHAPE)
    rows = {row.username: row for row in page.rows}
    assert rows["admin1"].is_self and not rows["admin1"].manageable
    for read_only in ("root", "super2", "super3", "admin2"):
        assert not rows[read_only].manageable, read_only
    for managed in ("admin1b", "reseller1", "custsub", "cust2a", "walkin"):
        assert rows[managed].manageable, managed
    assert rows["cust1a"].parent_username == "reseller1" and rows["root"].parent_username == ""


def test_a_superuser_manages_every_row_but_its_own_ancestors_and_peers(tree: dict[str, User], session: Session) -> None:
    rows = {row.username: row for row in listing(session, tree["super2"]).rows}
    assert [name for name, row in rows.items() if not row.manageable] == ["root", "super2", "super3"]
    root_rows = {row.username: row for row in listing(session, tree["root"]).rows}
    assert [name for name, row in root_rows.items() if not row.manageable] == ["root"]


# Search, filters, sorting, pages -------------------------------------------------------------------


def test_search_covers_username_email_and_display_name_ignoring_case(tree: dict[str, User], session: Session) -> None:
    admin = tree["root"]
    assert names(listing(session, admin, filters=UserFilter(q="CUST1"))) == ["cust1a", "cust1b"]
    assert names(listing(session, admin, filters=UserFilter(q="walkin@EXAMPLE"))) == ["walkin"]
    user_admin.edit(session, actor=admin, user_id=tree["cust2a"].id, display_name="Zoë Quinn",
                    email=tree["cust2a"].email, client=CLIENT)
    assert names(listing(session, admin, filters=UserFilter(q="zoë qu"))) == ["cust2a"]
    assert names(listing(session, admin, filters=UserFilter(q="  quinn "))) == ["cust2a"]


def test_search_wildcards_are_plain_characters(tree: dict[str, User], session: Session) -> None:
    assert listing(session, tree["root"], filters=UserFilter(q="%")).total == 0
    assert listing(session, tree["root"], filters=UserFilter(q="_")).total == 0
    assert listing(session, tree["root"], filters=UserFilter(q="\\")).total == 0


def test_filters_by_role_status_lock_and_verification(tree: dict[str, User], session: Session) -> None:
    admin = tree["root"]
    assert names(listing(session, admin, filters=UserFilter(role=Role.ADMIN))) == ["admin1", "admin1b", "admin2"]
    resellers = listing(session, admin, filters=UserFilter(resellers_only=True))
    assert names(resellers) == ["reseller1", "reseller2", "subres"]
    assert listing(session, admin, filters=UserFilter(resellers_only=True, role=Role.USER)).total == 0

    user_admin.deactivate(session, actor=admin, user_id=tree["cust1b"].id, client=CLIENT)
    assert names(listing(session, admin, filters=UserFilter(active=False))) == ["cust1b"]
    assert "cust1b" not in names(listing(session, admin, filters=UserFilter(active=True)))

    locked = session.get(User, tree["walkin"].id)
    locked.locked_until = utc_now() + timedelta(minutes=10)
    expired = session.get(User, tree["user1"].id)
    expired.locked_until = utc_now() - timedelta(minutes=1)  # a lock that ran out is not a lock
    verified = session.get(User, tree["cust2a"].id)
    verified.email_verified_at = utc_now()
    session.commit()
    assert names(listing(session, admin, filters=UserFilter(locked=True))) == ["walkin"]
    assert listing(session, admin, filters=UserFilter(locked=False)).total == len(SHAPE) - 1
    assert names(listing(session, admin, filters=UserFilter(verified=True))) == ["cust2a"]
    assert listing(session, admin, filters=UserFilter(verified=False)).total == len(SHAPE) - 1
    rows = {row.username: row for row in listing(session, admin).rows}
    assert rows["walkin"].locked and not rows["user1"].locked and not rows["cust1b"].is_active


def test_sorting_by_each_column_in_both_directions(tree: dict[str, User], session: Session) -> None:
    admin = tree["root"]
    usernames = sorted(name for name, _, _ in SHAPE)
    assert names(listing(session, admin, sort=Sort.USERNAME)) == usernames
    assert names(listing(session, admin, sort=Sort.USERNAME, descending=True)) == usernames[::-1]
    created = [name for name, _, _ in SHAPE]
    assert names(listing(session, admin, sort=Sort.CREATED)) == created
    assert names(listing(session, admin, sort=Sort.CREATED, descending=True)) == created[::-1]

    by_role = names(listing(session, admin, sort=Sort.ROLE))
    assert by_role[:3] == ["root", "super2", "super3"] and by_role[3:6] == ["admin1", "admin1b", "admin2"]
    assert by_role[-1] == "walkin" and names(listing(session, admin, sort=Sort.ROLE, descending=True))[0] == "cust1a"

    for name, minutes in (("cust2a", 5), ("walkin", 1)):
        account = session.get(User, tree[name].id)
        account.last_login_at = utc_now() - timedelta(minutes=minutes)
    session.commit()
    recent_first = names(listing(session, admin, sort=Sort.LAST_LOGIN, descending=True))
    assert recent_first[:2] == ["walkin", "cust2a"]  # "never signed in" counts as the oldest
    assert names(listing(session, admin, sort=Sort.LAST_LOGIN))[-2:] == ["cust2a", "walkin"]


def test_pages_cover_every_account_once_with_a_total(tree: dict[str, User], session: Session) -> None:
    seen: list[str] = []
    for number in (1, 2):
        page = user_admin.list_users(session, actor=tree["root"], scope=Scope.EVERYONE, page=number, page_size=10)
        assert page.total == len(SHAPE) and page.pages == 2 and page.page == number
        seen += names(page)
    assert sorted(seen) == sorted(name for name, _, _ in SHAPE)
    past_the_end = user_admin.list_users(session, actor=tree["root"], scope=Scope.EVERYONE, page=9, page_size=10)
    assert past_the_end.page == 2 and names(past_the_end) == seen[10:]


@pytest.mark.parametrize(
    "options",
    [{"page_size": 7}, {"page_size": 1000}, {"page": 0}, {"page": True}, {"filters": UserFilter(q="x" * 101)},
     {"sort": "password_hash"}, {"filters": UserFilter(role="owner")}],  # type: ignore[arg-type]
    ids=["odd-page-size", "huge-page-size", "page-zero", "page-bool", "long-search", "unknown-sort", "unknown-role"],
)
def test_list_arguments_are_validated(tree: dict[str, User], session: Session, options: dict) -> None:
    with pytest.raises(ValidationFailed):
        user_admin.list_users(session, actor=tree["root"], scope=Scope.EVERYONE, **options)


# Account actions ----------------------------------------------------------------------------------


def _sign_in(session: Session, user: User) -> str:
    return auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token


def test_deactivation_ends_every_session_and_reactivation_lets_them_back(
    tree: dict[str, User], session: Session
) -> None:
    customer = tree["cust1a"]
    tokens = [_sign_in(session, customer), _sign_in(session, customer)]
    assert all(auth.resolve(session, token) for token in tokens)

    ended = user_admin.deactivate(session, actor=tree["reseller1"], user_id=customer.id, client=CLIENT)
    assert ended == 2
    assert all(auth.resolve(session, token) is None for token in tokens)
    assert all(s.revoked_at is not None for s in session.exec(select(AuthSession)).all())
    with pytest.raises(PermissionDenied, match="deactivated"):
        _sign_in(session, customer)
    with pytest.raises(Conflict, match="already deactivated"):
        user_admin.deactivate(session, actor=tree["reseller1"], user_id=customer.id, client=CLIENT)

    user_admin.reactivate(session, actor=tree["reseller1"], user_id=customer.id, client=CLIENT)
    assert auth.resolve(session, _sign_in(session, customer)).id == customer.id
    assert all(auth.resolve(session, token) is None for token in tokens)  # old sessions stay ended
    events = session.exec(select(AuditEvent).where(AuditEvent.target_id == customer.id,
                                                   AuditEvent.actor_id == tree["reseller1"].id)
                          .order_by(AuditEvent.id)).all()
    assert [(e.action, e.details) for e in events] == [("user.deactivated", {"sessions_ended": 2}),
                                                       ("user.reactivated", {})]
    assert all(e.ip == CLIENT.ip and e.user_agent == CLIENT.user_agent for e in events)


def test_delete_refuses_while_accounts_hang_below(tree: dict[str, User], session: Session) -> None:
    with pytest.raises(Conflict) as caught:
        user_admin.delete(session, actor=tree["admin1"], user_id=tree["reseller1"].id, confirm="reseller1",
                          client=CLIENT)
    assert str(caught.value) == "reseller1 still has 3 accounts under it. Move them to another parent first."
    with pytest.raises(Conflict, match="1 account under it"):
        user_admin.delete(session, actor=tree["admin1"], user_id=tree["subres"].id, confirm="subres", client=CLIENT)
    assert session.get(User, tree["reseller1"].id) is not None


def test_delete_needs_the_username_typed(tree: dict[str, User], session: Session) -> None:
    for confirm in ("", "CUST1A", "cust1", None):
        with pytest.raises(ValidationFailed, match="Type the username cust1a"):
            user_admin.delete(session, actor=tree["reseller1"], user_id=tree["cust1a"].id, confirm=confirm,
                              client=CLIENT)
    assert session.get(User, tree["cust1a"].id) is not None


def test_delete_removes_the_account_with_its_sessions_and_devices_and_keeps_the_record(
    tree: dict[str, User], session: Session
) -> None:
    customer = tree["cust1a"]
    token = _sign_in(session, customer)
    user_admin.delete(session, actor=tree["reseller1"], user_id=customer.id, confirm=" cust1a ", client=CLIENT)
    session.expire_all()
    assert session.get(User, customer.id) is None
    assert auth.resolve(session, token) is None
    assert session.exec(select(AuthSession).where(AuthSession.user_id == customer.id)).all() == []
    assert session.exec(select(Device).where(Device.user_id == customer.id)).all() == []
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.deleted")).one()
    assert event.target_id == customer.id and event.target_label == "cust1a <cust1a@example.com>"
    assert event.details["sessions_removed"] == 1 and event.details["devices_removed"] == 1
    with pytest.raises(NotFound):
        user_admin.delete(session, actor=tree["reseller1"], user_id=customer.id, confirm="cust1a", client=CLIENT)


def test_unlock_lets_a_locked_out_person_sign_in_again(tree: dict[str, User], session: Session) -> None:
    customer = tree["cust1a"]
    for _ in range(5):
        with pytest.raises(MediashareError):
            auth.login(session, identifier="cust1a", password="wrong password", client=CLIENT)
    with pytest.raises(MediashareError, match="locked"):
        _sign_in(session, customer)
    assert names(listing(session, tree["root"], filters=UserFilter(locked=True))) == ["cust1a"]

    user_admin.unlock(session, actor=tree["reseller1"], user_id=customer.id, client=CLIENT)
    assert auth.resolve(session, _sign_in(session, customer)).id == customer.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.account_unlocked")).one()
    assert event.actor_id == tree["reseller1"].id and event.target_id == customer.id
    assert event.ip == CLIENT.ip and event.details["locked_until"] is not None
    with pytest.raises(Conflict, match="cust1a is not locked"):
        user_admin.unlock(session, actor=tree["reseller1"], user_id=customer.id, client=CLIENT)


def test_edit_changes_name_and_email_and_an_admin_set_email_is_unverified(
    tree: dict[str, User], session: Session
) -> None:
    customer = session.get(User, tree["cust1a"].id)
    customer.email_verified_at = utc_now()
    session.commit()
    changed = user_admin.edit(session, actor=tree["reseller1"], user_id=customer.id,
                              display_name="  <b>Carla</b> ", email="Carla@Example.com", client=CLIENT)
    assert changed == ["display_name", "email"]
    session.expire_all()
    customer = session.get(User, customer.id)
    assert customer.display_name == "<b>Carla</b>" and customer.email == "Carla@example.com"
    assert customer.email_key == "carla@example.com" and not customer.is_verified
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.updated")).one()
    assert event.details["display_name"] == {"from": "Cust1a", "to": "<b>Carla</b>"}
    assert user_admin.edit(session, actor=tree["reseller1"], user_id=customer.id, display_name="<b>Carla</b>",
                           email="Carla@example.com", client=CLIENT) == []


@pytest.mark.parametrize(
    ("display_name", "email", "error"),
    [("x" * 81, "ok@example.com", ValidationFailed), ("Fine", "not an email", ValidationFailed),
     ("Fine", "CUST1B@example.com", Conflict)],
    ids=["long-name", "bad-email", "taken-email"],
)
def test_edit_refuses_bad_values(
    tree: dict[str, User], session: Session, display_name: str, email: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        user_admin.edit(session, actor=tree["reseller1"], user_id=tree["cust1a"].id, display_name=display_name,
                        email=email, client=CLIENT)
    session.expire_all()
    assert session.get(User, tree["cust1a"].id).email == "cust1a@example.com"


@pytest.mark.parametrize("user_id", [0, -1, 2**40, "1", 1.5, None, True])
def test_unknown_or_malformed_ids_are_not_found(tree: dict[str, User], session: Session, user_id: object) -> None:
    with pytest.raises(NotFound):
        user_admin.deactivate(session, actor=tree["root"], user_id=user_id, client=CLIENT)  # type: ignore[arg-type]


def test_a_new_account_gets_a_password_nobody_knows(tree: dict[str, User], session: Session) -> None:
    created = user_admin.create(session, actor=tree["reseller1"], username="newbie", email="newbie@example.com",
                                role=Role.USER, client=CLIENT)
    assert created.password_hash.startswith("$argon2id$")
    with pytest.raises(MediashareError):
        auth.login(session, identifier="newbie", password=PASSWORD, client=CLIENT)


def test_a_manager_sends_a_password_reset_email_that_works(
    tree: dict[str, User], session: Session, smtp_server: Mailbox
) -> None:
    target = tree["cust1a"]
    user_admin.send_reset(session, actor=tree["reseller1"], user_id=target.id, client=CLIENT)
    message = smtp_server.wait_for(to=target.email, subject="")
    link = next(link for link in Mailbox.links(message) if "reset-password" in link)
    token = parse_qs(urlsplit(link).query)["token"][0]
    credentials.reset_password(session, token=token, new_password="a brand new passphrase", client=CLIENT)
    assert auth.login(session, identifier=target.username, password="a brand new passphrase", client=CLIENT)
    event = session.exec(select(AuditEvent).where(
        AuditEvent.action == AuditAction.PASSWORD_RESET_REQUESTED.value, AuditEvent.target_id == target.id)).one()
    assert event.actor_id == tree["reseller1"].id

    with pytest.raises(PermissionDenied):
        user_admin.send_reset(session, actor=tree["reseller2"], user_id=target.id, client=CLIENT)
    user_admin.deactivate(session, actor=tree["reseller1"], user_id=tree["cust1b"].id, client=CLIENT)
    with pytest.raises(Conflict, match="Reactivate"):
        user_admin.send_reset(session, actor=tree["reseller1"], user_id=tree["cust1b"].id, client=CLIENT)
    assert len(smtp_server.messages) == 1


def test_a_reseller_suspends_and_reactivates_its_descendants_only(tree: dict[str, User], session: Session) -> None:
    reseller = tree["reseller1"]
    user_admin.deactivate(session, actor=reseller, user_id=tree["custsub"].id, client=CLIENT)  # below a sub-reseller
    assert not session.get(User, tree["custsub"].id).is_active
    for outside in ("cust2a", "reseller2", "admin1", "walkin"):
        with pytest.raises(PermissionDenied):
            user_admin.deactivate(session, actor=reseller, user_id=tree[outside].id, client=CLIENT)
        assert session.get(User, tree[outside].id).is_active
    with pytest.raises(PermissionDenied):
        user_admin.reactivate(session, actor=tree["reseller2"], user_id=tree["custsub"].id, client=CLIENT)
    assert not session.get(User, tree["custsub"].id).is_active
    user_admin.reactivate(session, actor=reseller, user_id=tree["custsub"].id, client=CLIENT)
    events = session.exec(select(AuditEvent).where(AuditEvent.actor_id.in_([reseller.id, tree["reseller2"].id]))
                          .order_by(AuditEvent.id)).all()
    assert [(e.action, e.target_id) for e in events] == [("user.deactivated", tree["custsub"].id),
                                                        ("user.reactivated", tree["custsub"].id)]
