"""``portal-init <ini> [--demo]``: create the database; with --demo, the demo city.

Without --demo, only a city administrator is created, whose login and password the operator
is asked for (or gives by PORTAL_ADMIN_LOGIN and PORTAL_ADMIN_PASSWORD).
"""
import argparse
import getpass
import os
import sys

import transaction
from pyramid.paster import bootstrap, setup_logging

from portal import demo
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_uri")
    parser.add_argument("--demo", action="store_true", help="create the demo city and accounts")
    parser.add_argument("variables", nargs="*", metavar="name=value",
                        help="values for %%(name)s in the .ini file, as for pserve")
    args = parser.parse_intermixed_args(argv)
    options = dict(v.split("=", 1) for v in args.variables if "=" in v)
    setup_logging(args.config_uri, global_conf=options)
    with bootstrap(args.config_uri, options=options) as env:
        request = env["request"]
        with request.tm:
            portal = request.portal
            if args.demo:
                demo.build(portal, env["registry"].personal_data)
                transaction.get().note("portal-init --demo")
                print("Demo city created; accounts: admin, district, street, organizer "
                      "(password <login>-demo).")
            elif not portal.accounts.staff():
                login, password = ask_admin()
                account = portal.accounts.add(Account(login, "City administrator", password))
                localroles.grant(portal, account.uid, ADMIN)
                print(f"Administrator {login} created.")
            else:
                print("The database already has accounts; nothing to do.")


if __name__ == "__main__":
    main()
