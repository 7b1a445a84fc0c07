"""The WeChat stand-in as a server process of its own (tests and benchmarks that kill or load
the drain): ``python -m tests.support.wechat_server PORT APP_ID SECRET TOKEN TEMPLATE...``."""
import sys

import waitress

from portal.standins.wechat import WeChatDouble


def main(argv):
    port, app_id, secret, token, *templates = argv
    waitress.serve(WeChatDouble(app_id, secret, token, templates), listen=f"127.0.0.1:{port}", threads=4,
                   _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
