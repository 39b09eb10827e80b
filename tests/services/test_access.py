"""The hierarchy rules, move by move: who manages whom, who grants what, where accounts may hang.

Every forbidden move is its own test case (on SQLite and PostgreSQL), and goes through the real
service a person's click reaches.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import MediashareError, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, Role, User
from mediashare.services import access, user_admin
from mediashare.services.auth import Client
from tests.tree import build_tree

CLIENT = Client(ip="203.0.113.9", user_agent="pytest")


@pytest.fixture
def tree(session: Session) -> dict[str, User]:
    return build_tree(session)


ALLOWED = [
    ("root", "super2"), ("root", "admin1"), ("root", "custsub"),
    ("super2", "admin1"), ("super2", "admin2"), ("super2", "reseller2"), ("super2", "walkin"),
    ("admin1", "admin1b"), ("admin1", "reseller1"), ("admin1", "custsub"), ("admin1", "walkin"),
    ("admin2", "reseller1"), ("admin2", "cust2a"),
    ("reseller1", "cust1a"), ("reseller1", "subres"), ("reseller1", "custsub"),
    ("subres", "custsub"),
    ("cust1a", "cust1a"),
]

FORBIDDEN = [
    # a user manages only itself
    ("cust1a", "cust1b"), ("cust1a", "reseller1"), ("user1", "walkin"), ("user1", "admin1"),
    # a reseller manages only its descendants
    ("reseller1", "reseller2"), ("reseller1", "cust2a"), ("reseller1", "admin1"), ("reseller1", "user1"),
    ("reseller1", "walkin"), ("reseller1", "root"),
    ("subres", "reseller1"), ("subres", "cust1a"),
    # an admin: not superusers, not fellow admins outside its subtree, not its ancestors
    ("admin1", "root"), ("admin1", "super2"), ("admin1", "admin2"), ("admin2", "admin1b"), ("admin1b", "admin1"),
    # a superuser: not its ancestor, not a sibling superuser
    ("super2", "root"), ("super2", "super3"),
]


@pytest.mark.parametrize(("actor", "target"), ALLOWED, ids=[f"{a}->{t}" for a, t in ALLOWED])
def test_allowed_management(tree: dict[str, User], session: Session, actor: str, target: str) -> None:
    assert access.can_manage(session, actor=tree[actor], target=tree[target])


@pytest.mark.parametrize(("actor", "target"), FORBIDDEN, ids=[f"{a}->{t}" for a, t in FORBIDDEN])
def test_forbidden_management_is_refused_by_every_action(
    tree: dict[str, User], session: Session, actor: str, target: str
) -> None:
    who, whom = tree[actor], tree[target]
    assert not access.can_manage(session, actor=who, target=whom)
    moves = [
        lambda: user_admin.deactivate(session, actor=who, user_id=whom.id, client=CLIENT),
        lambda: user_admin.delete(session, actor=who, user_id=whom.id, confirm=whom.username, client=CLIENT),
        lambda: user_admin.edit(session, actor=who, user_id=whom.id, display_name="Renamed",
                                email=whom.email, client=CLIENT),
        lambda: user_admin.unlock(session, actor=who, user_id=whom.id, client=CLIENT),
        lambda: user_admin.send_reset(session, actor=who, user_id=whom.id, client=CLIENT),
        lambda: user_admin.change_role(session, actor=who, user_id=whom.id, role=Role.USER, client=CLIENT),
        lambda: user_admin.change_parent(session, actor=who, user_id=whom.id, parent_username=actor, client=CLIENT),
    ]
    for move in moves:
        with pytest.raises(PermissionDenied):
            move()
    session.expire_all()
    assert session.get(User, whom.id).is_active and session.get(User, whom.id).display_name == target.capitalize()
    assert session.exec(select(AuditEvent).where(AuditEvent.actor_id == who.id)).all() == []


def test_an_inactive_account_manages_nobody(tree: dict[str, User], session: Session) -> None:
    user_admin.deactivate(session, actor=tree["root"], user_id=tree["admin1"].id, client=CLIENT)
    assert not access.can_manage(session, actor=tree["admin1"], target=tree["cust1a"])
    assert not access.can_manage(session, actor=tree["admin1"], target=tree["admin1"])


GRANTS_FORBIDDEN = [
    ("admin1", Role.ADMIN), ("admin1", Role.SUPERUSER),
    ("reseller1", Role.RESELLER), ("reseller1", Role.ADMIN), ("reseller1", Role.SUPERUSER),
]


@pytest.mark.parametrize(("actor", "role"), GRANTS_FORBIDDEN, ids=[f"{a}-grants-{r}" for a, r in GRANTS_FORBIDDEN])
def test_nobody_grants_a_role_equal_to_or_above_their_own(
    tree: dict[str, User], session: Session, actor: str, role: Role
) -> None:
    with pytest.raises(PermissionDenied):
        user_admin.create(session, actor=tree[actor], username="newcomer", email="newcomer@example.com",
                          role=role, client=CLIENT)
    with pytest.raises(PermissionDenied):
        user_admin.change_role(session, actor=tree[actor], user_id=tree["custsub"].id, role=role, client=CLIENT)
    assert session.exec(select(User).where(User.username_key == "newcomer")).first() is None
    session.expire_all()
    assert session.get(User, tree["custsub"].id).role is Role.USER


def test_a_user_creates_no_accounts(tree: dict[str, User], session: Session) -> None:
    with pytest.raises(PermissionDenied):
        user_admin.create(session, actor=tree["cust1a"], username="friend", email="friend@example.com",
                          role=Role.USER, client=CLIENT)


def test_superusers_grant_every_role(tree: dict[str, User], session: Session) -> None:
    assert user_admin.grantable_roles(tree["super2"]) == [Role.SUPERUSER, Role.ADMIN, Role.RESELLER, Role.USER]
    assert user_admin.grantable_roles(tree["admin1"]) == [Role.RESELLER, Role.USER]
    assert user_admin.grantable_roles(tree["reseller1"]) == [Role.USER]
    assert user_admin.grantable_roles(tree["cust1a"]) == []
    made = user_admin.create(session, actor=tree["super2"], username="admin3", email="admin3@example.com",
                             role=Role.ADMIN, client=CLIENT)
    assert made.role is Role.ADMIN and made.parent_id == tree["super2"].id


@pytest.mark.parametrize("doing", ["deactivate", "delete", "change_role", "change_parent", "edit"])
def test_nobody_acts_on_their_own_account_from_the_admin_list(
    tree: dict[str, User], session: Session, doing: str
) -> None:
    root = tree["root"]
    calls = {
        "deactivate": lambda: user_admin.deactivate(session, actor=root, user_id=root.id, client=CLIENT),
        "delete": lambda: user_admin.delete(session, actor=root, user_id=root.id, confirm="root", client=CLIENT),
        "change_role": lambda: user_admin.change_role(session, actor=root, user_id=root.id, role=Role.ADMIN,
                                                      client=CLIENT),
        "change_parent": lambda: user_admin.change_parent(session, actor=root, user_id=root.id,
                                                          parent_username="super2", client=CLIENT),
        "edit": lambda: user_admin.edit(session, actor=root, user_id=root.id, display_name="Me",
                                        email=root.email, client=CLIENT),
    }
    with pytest.raises(PermissionDenied, match=r"own account|account page"):
        calls[doing]()
    session.expire_all()
    assert session.get(User, root.id).role is Role.SUPERUSER and session.get(User, root.id).is_active


# Where accounts may hang ----------------------------------------------------------------------------

REPARENT_FORBIDDEN = [
    # (actor, account, new parent, error): outside the actor's team
    ("reseller1", "cust1a", "reseller2", ValidationFailed),
    ("reseller1", "cust1a", "admin1", ValidationFailed),
    ("subres", "custsub", "reseller1", ValidationFailed),
    ("admin1", "user1", "admin2", ValidationFailed),
    ("admin1", "user1", "root", ValidationFailed),
    ("admin2", "reseller1", "admin1", ValidationFailed),
    # cycles: under itself or under its own descendant
    ("admin1", "reseller1", "subres", ValidationFailed),
    ("admin1", "reseller1", "reseller1", ValidationFailed),
    ("root", "admin1", "admin1b", ValidationFailed),
    # placement: users have no children, a parent's role is at least its child's
    ("admin1", "cust2a", "cust1a", ValidationFailed),
    ("root", "admin1b", "reseller2", ValidationFailed),
    # moving an account the actor does not manage
    ("reseller1", "cust2a", "reseller1", PermissionDenied),
    ("admin1", "admin2", "admin1", PermissionDenied),
    ("cust1a", "cust1b", "cust1a", PermissionDenied),
]


@pytest.mark.parametrize(
    ("actor", "account", "parent", "error"), REPARENT_FORBIDDEN,
    ids=[f"{a}-moves-{t}-under-{p}" for a, t, p, _ in REPARENT_FORBIDDEN],
)
def test_forbidden_moves_in_the_tree(
    tree: dict[str, User], session: Session, actor: str, account: str, parent: str, error: type[Exception]
) -> None:
    before = tree[account].parent_id
    with pytest.raises(error):
        user_admin.change_parent(session, actor=tree[actor], user_id=tree[account].id, parent_username=parent,
                                 client=CLIENT)
    session.expire_all()
    assert session.get(User, tree[account].id).parent_id == before


def test_a_reseller_learns_nothing_about_accounts_outside_its_team(tree: dict[str, User], session: Session) -> None:
    """Moving under an outside account and under one that does not exist read the same."""
    messages = []
    for parent in ("reseller2", "no-such-account"):
        with pytest.raises(ValidationFailed) as caught:
            user_admin.change_parent(session, actor=tree["reseller1"], user_id=tree["cust1a"].id,
                                     parent_username=parent, client=CLIENT)
        messages.append(str(caught.value).replace(parent, "X"))
    assert messages[0] == messages[1]


def test_allowed_moves_carry_the_subtree_and_are_audited(tree: dict[str, User], session: Session) -> None:
    user_admin.change_parent(session, actor=tree["admin1"], user_id=tree["subres"].id, parent_username="reseller2",
                             client=CLIENT)
    session.expire_all()
    assert session.get(User, tree["subres"].id).parent_id == tree["reseller2"].id
    # the whole branch moved: reseller2 now manages custsub, reseller1 no longer does
    assert access.can_manage(session, actor=tree["reseller2"], target=tree["custsub"])
    assert not access.can_manage(session, actor=tree["reseller1"], target=tree["custsub"])
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.parent_changed")).one()
    assert event.actor_id == tree["admin1"].id and event.target_id == tree["subres"].id
    assert event.details["from"] == "reseller1" and event.details["to"] == "reseller2"
    assert event.ip == CLIENT.ip and event.user_agent == CLIENT.user_agent


def test_moving_to_the_current_parent_says_so(tree: dict[str, User], session: Session) -> None:
    with pytest.raises(MediashareError, match="already under reseller1"):
        user_admin.change_parent(session, actor=tree["admin1"], user_id=tree["cust1a"].id,
                                 parent_username="reseller1", client=CLIENT)


CREATE_FORBIDDEN = [
    ("reseller1", Role.USER, "reseller2", ValidationFailed),  # outside its team
    ("reseller1", Role.USER, "admin1", ValidationFailed),  # its own parent
    ("admin1", Role.USER, "root", ValidationFailed),  # a superuser is outside an admin's reach
    ("admin1", Role.USER, "admin2", ValidationFailed),  # a sibling admin
    ("admin1", Role.USER, "cust1a", ValidationFailed),  # users have no children
    ("root", Role.ADMIN, "reseller1", ValidationFailed),  # an admin never hangs below a reseller
    ("root", Role.RESELLER, "walkin", ValidationFailed),
]


@pytest.mark.parametrize(
    ("actor", "role", "parent", "error"), CREATE_FORBIDDEN,
    ids=[f"{a}-creates-{r}-under-{p}" for a, r, p, _ in CREATE_FORBIDDEN],
)
def test_forbidden_places_for_a_new_account(
    tree: dict[str, User], session: Session, actor: str, role: Role, parent: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        user_admin.create(session, actor=tree[actor], username="newcomer", email="newcomer@example.com",
                          role=role, parent_username=parent, client=CLIENT)
    assert session.exec(select(User).where(User.username_key == "newcomer")).first() is None


def test_a_reseller_creates_customers_under_itself_or_its_sub_resellers(
    tree: dict[str, User], session: Session
) -> None:
    own = user_admin.create(session, actor=tree["reseller1"], username="cust1c", email="cust1c@example.com",
                            role=Role.USER, display_name="Third", client=CLIENT)
    deeper = user_admin.create(session, actor=tree["reseller1"], username="custsub2", email="custsub2@example.com",
                               role=Role.USER, parent_username="subres", client=CLIENT)
    assert own.parent_id == tree["reseller1"].id and deeper.parent_id == tree["subres"].id
    event = session.exec(select(AuditEvent).where(AuditEvent.target_id == own.id)).one()
    assert event.action == "user.created" and event.actor_id == tree["reseller1"].id and event.ip == CLIENT.ip


ROLE_FORBIDDEN = [
    ("root", "cust1a", Role.ADMIN, ValidationFailed),  # an admin cannot sit below reseller1
    ("root", "reseller1", Role.USER, ValidationFailed),  # it has customers; users have none
    ("root", "admin1", Role.RESELLER, ValidationFailed),  # it has an admin below it
    ("admin1", "reseller1", Role.ADMIN, PermissionDenied),  # equal to the actor's own role
    ("admin1", "admin2", Role.RESELLER, PermissionDenied),  # a sibling
    ("reseller1", "cust1a", Role.RESELLER, PermissionDenied),
    ("subres", "reseller1", Role.USER, PermissionDenied),  # its ancestor
]


@pytest.mark.parametrize(
    ("actor", "account", "role", "error"), ROLE_FORBIDDEN,
    ids=[f"{a}-makes-{t}-{r}" for a, t, r, _ in ROLE_FORBIDDEN],
)
def test_forbidden_role_changes(
    tree: dict[str, User], session: Session, actor: str, account: str, role: Role, error: type[Exception]
) -> None:
    before = tree[account].role
    with pytest.raises(error):
        user_admin.change_role(session, actor=tree[actor], user_id=tree[account].id, role=role, client=CLIENT)
    session.expire_all()
    assert session.get(User, tree[account].id).role is before


def test_allowed_role_changes_are_audited(tree: dict[str, User], session: Session) -> None:
    user_admin.change_role(session, actor=tree["admin1"], user_id=tree["user1"].id, role=Role.RESELLER, client=CLIENT)
    user_admin.change_role(session, actor=tree["root"], user_id=tree["admin1b"].id, role=Role.RESELLER, client=CLIENT)
    session.expire_all()
    assert session.get(User, tree["user1"].id).role is Role.RESELLER
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.role_changed")).all()
    assert [(e.target_id, e.details) for e in events] == [
        (tree["user1"].id, {"from": "user", "to": "reseller"}),
        (tree["admin1b"].id, {"from": "admin", "to": "reseller"}),
    ]
    # admin1 now manages admin1b as a lower role anywhere, and the old admin lost admin powers
    assert not access.can_manage(session, actor=session.get(User, tree["admin1b"].id), target=tree["user1"])
