"""``portal-init <ini> [--demo]``: create the database; with --demo, the demo city.

Without --demo, only a city administrator is created, whose login and password the operator
is asked for (or gives by PORTAL_ADMIN_LOGIN and PORTAL_ADMIN_PASSWORD).
"""
import getpass
import os
import sys

from portal import demo
from portal.scripts import transactions
from portal.security import localroles
from portal.security.accounts import LOGIN_RE, MIN_PASSWORD, Account
from portal.security.roles import ADMIN


def ask_admin():
    login = os.environ.get("PORTAL_ADMIN_LOGIN") or input("Administrator login: ").strip().lower()
    password = os.environ.get("PORTAL_ADMIN_PASSWORD") or getpass.getpass("Administrator password: ")
    if not LOGIN_RE.match(login):
        sys.exit("The login must be 3 to 40 lowercase letters, digits, dots, hyphens or underscores, "
                 "starting with a letter.")
    if len(password) < MIN_PASSWORD:
        sys.exit(f"The password must have at least {MIN_PASSWORD} characters.")
    return login, password


def main(argv=None):
    args, options = transactions.ini_arguments(
        __doc__.splitlines()[0], argv,
        add=lambda parser: parser.add_argument("--demo", action="store_true", help="create the demo city and accounts"))
    with transactions.opened(args.config_uri, options) as (registry, db):
        if args.demo:
            transactions.in_transaction(db, lambda portal: demo.build(portal, registry.personal_data),
                                        note="portal-init --demo")
            print("Demo city created; accounts: admin, district, street, organizer "
                  "(password <login>-demo).")
        elif transactions.in_transaction(db, lambda portal: not portal.accounts.staff()):
            login, password = ask_admin()
            transactions.in_transaction(db, lambda portal: add_admin(portal, login, password),
                                        note="portal-init: the city administrator")
            print(f"Administrator {login} created.")
        else:
            print("The database already has accounts; nothing to do.")


def add_admin(portal, login, password):
    account = portal.accounts.add(Account(login, "City administrator", password))
    localroles.grant(portal, account.uid, ADMIN)
    return account.uid


if __name__ == "__main__":
    main()
