"""One account's referral facts in a server's database, as JSON, for e2e tests that check them
from outside (the credits page may not exist):

    python -m tests.e2e.referral_report USERNAME      (with the server's environment)

Prints {"balance": n, "referred_by": username or null, "parent": username or null}.
"""

from __future__ import annotations

import json
import sys

from mediashare import db
from mediashare.models import User
from mediashare.services import ledger, users


def report(username: str) -> dict:
    with db.session_scope() as session:
        user = users.find_by_login(session, username)
        assert user is not None, username

        def name(user_id: int | None) -> str | None:
            other = session.get(User, user_id) if user_id is not None else None
            return other.username if other is not None else None

        return {"balance": ledger.balance(session, user=user), "referred_by": name(user.referred_by_id),
                "parent": name(user.parent_id)}


if __name__ == "__main__":
    print(json.dumps(report(sys.argv[1])))
