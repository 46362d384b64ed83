#!/usr/bin/python3
"""A real SMTP server for the e-mail alert tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1:PORT with STARTTLS (--security starttls, required before MAIL and AUTH),
implicit TLS (--security tls) or plain text (--security none), and accepts AUTH PLAIN/LOGIN for
one user and password only (--user/--password; without them, no AUTH). Each accepted message is
decoded with Python's email module and written to OUT/NNN.json (envelope, decoded headers and
body, raw message); each AUTH attempt appends "accepted USER" or "refused USER" to OUT/auth.log.
Prints "ready PORT" once it accepts connections, and runs until SIGTERM.
"""

import argparse
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def main():
    warnings.simplefilter("ignore", DeprecationWarning)  # aiosmtpd 1.4 about its own login_data
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--security", choices=["starttls", "tls", "none"], default="starttls")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lock = threading.Lock()

    def log_auth(line):
        with lock, open(os.path.join(args.out, "auth.log"), "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def authenticator(server, session, envelope, mechanism, auth_data):
        user = auth_data.login.decode("utf-8", "replace")
        good = (user == args.user and auth_data.password.decode("utf-8", "replace") == args.password)
        log_auth(("accepted " if good else "refused ") + user + " " + mechanism)
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=good, handled=False)

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            raw = envelope.original_content or envelope.content
            message = email.message_from_bytes(raw, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            record = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "authenticated": session.authenticated,
                "tls": session.ssl is not None
                or server.transport.get_extra_info("ssl_object") is not None,
                "from": str(message["From"]),
                "to": str(message["To"]),
                "subject": str(message["Subject"]),
                "content_type": body.get_content_type() if body else "",
                "charset": body.get_content_charset() if body else "",
                "transfer_encoding": str(body["Content-Transfer-Encoding"]) if body else "",
                "body": body.get_content() if body else "",
                "raw": raw.decode("ascii", "replace"),
            }
            with lock:
                Handler.count += 1
                name = os.path.join(args.out, "%03d.json" % Handler.count)
                with open(name + ".tmp", "w", encoding="utf-8") as f:
                    json.dump(record, f, ensure_ascii=False)
                os.rename(name + ".tmp", name)
            return "250 OK"

    tls = None
    if args.security != "none":
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)

    kwargs = {}
    if args.user:
        # aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls; with implicit TLS the
        # whole connection is encrypted anyway.
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=args.security == "starttls")
    if args.security == "starttls":
        kwargs.update(tls_context=tls, require_starttls=True)
    elif args.security == "tls":
        kwargs.update(ssl_context=tls, server_hostname="localhost")

    controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print("ready %d" % args.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
