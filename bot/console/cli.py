"""Staff accounts from the command line (documented in README "Staff console").

    python -m bot.console.cli create USERNAME CENTRE ROLE   # prints a one-time password
    python -m bot.console.cli demo                           # make run: one demo account per centre

Centres: rvc_vasterort, rvc_innerstan, rvc_vastra_soderort, rvc_sodra_soderort. Roles: staff, lead, admin.
"""

import secrets
import sys

from bot.places import centres
from bot.settings import current
from bot.storage import staff as staff_repo
from bot.storage.db import session_scope


def create(username: str, centre: str, role: str) -> str:
    if centre not in centres():
        raise SystemExit(f"unknown centre {centre}; one of: {', '.join(centres())}")
    with session_scope(current().database_url) as session:
        return staff_repo.create_account(session, username, centre, role)


def demo_accounts() -> None:
    """One staff account per centre plus a lead, with fresh one-time passwords at each start."""
    accounts = [(f"demo-{c.replace('rvc_', '').replace('_', '-')}", c, "staff") for c in centres()]
    accounts.append(("demo-lead", "rvc_innerstan", "lead"))
    print("==> Demo staff accounts (passwords change at every `make run`):")
    with session_scope(current().database_url) as session:
        for username, centre, role in accounts:
            password = secrets.token_urlsafe(9)
            if not staff_repo.set_password(session, username, password):
                staff_repo.create_account(session, username, centre, role, password)
            print(f"    {username:24s} {password}   ({centres()[centre]}, {role})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["demo"]:
        demo_accounts()
    elif sys.argv[1:2] == ["create"] and len(sys.argv) == 5:
        print(f"One-time password for {sys.argv[2]}: {create(*sys.argv[2:5])}")
    else:
        raise SystemExit(__doc__)
