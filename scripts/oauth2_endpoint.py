#!/usr/bin/env python3
"""A small OAuth2 server for the test mail stack (standard library only).

  POST /token        RFC 6749: client_credentials and refresh_token grants
                     (client secret in the form or HTTP Basic); short-lived
                     opaque access tokens; refresh tokens rotated on request
  POST /introspect   RFC 7662, for Dovecot's oauth2 passdb (introspection_mode
                     = post): {"active": true, "username": ...} while valid

Tests drive it through an admin API, keyed by client_id so parallel tests
never meet:

  POST /admin/client {client_id, secret, user, lifetime, refresh_token, rotate}
  POST /admin/revoke {client_id}    the secret and refresh token stop working, tokens die
  POST /admin/expire {client_id}    the client's access tokens die (as when they expire)
  POST /admin/down   {client_id, down}  the token endpoint answers 503 for this client
  GET  /admin/stats?client_id=...   {"issued": n, "refresh_token": current, "tokens": [every one issued]}

usage: oauth2_endpoint.py PORT
"""
import base64
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
CLIENTS = {}
TOKENS = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode()

    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body()).items()}

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/admin/stats":
            cid = parse_qs(url.query).get("client_id", [""])[0]
            with LOCK:
                c = CLIENTS.get(cid)
                if c is None:
                    return self.reply(404, {"error": "no such client"})
                tokens = [k for k, t in TOKENS.items() if t[0] == cid] + c["dead"]
                return self.reply(200, {"issued": c["issued"], "refresh_token": c["refresh"], "tokens": tokens})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        path = urlparse(self.path).path
        if path == "/token":
            return self.token(self.form())
        if path == "/introspect":
            token = self.form().get("token", "")
            with LOCK:
                t = TOKENS.get(token)
                if t and t[2] > time.time() and CLIENTS[t[0]]["secret"] is not None:
                    return self.reply(200, {"active": "true", "username": t[1], "exp": int(t[2])})
            return self.reply(200, {"active": "false"})
        if path.startswith("/admin/"):
            data = json.loads(self.body() or "{}")
            cid = data.get("client_id", "")
            with LOCK:
                if path == "/admin/client":
                    CLIENTS[cid] = {
                        "secret": data.get("secret"),
                        "user": data["user"],
                        "lifetime": float(data.get("lifetime", 3600)),
                        "refresh": data.get("refresh_token"),
                        "rotate": bool(data.get("rotate", False)),
                        "down": False,
                        "issued": 0,
                        "dead": [],
                    }
                elif cid not in CLIENTS:
                    return self.reply(404, {"error": "no such client"})
                elif path == "/admin/revoke":
                    CLIENTS[cid]["secret"] = None
                    CLIENTS[cid]["refresh"] = None
                    self.drop_tokens(cid)
                elif path == "/admin/expire":
                    self.drop_tokens(cid)
                elif path == "/admin/down":
                    CLIENTS[cid]["down"] = bool(data.get("down", True))
                else:
                    return self.reply(404, {"error": "not found"})
            return self.reply(200, {"ok": True})
        self.reply(404, {"error": "not found"})

    @staticmethod
    def drop_tokens(cid):
        for k in [k for k, t in TOKENS.items() if t[0] == cid]:
            CLIENTS[cid]["dead"].append(k)
            del TOKENS[k]

    def token(self, form):
        cid, secret = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        with LOCK:
            c = CLIENTS.get(cid)
            if c is not None and c["down"]:
                return self.reply(503, {"error": "temporarily_unavailable"})
            if c is None or c["secret"] is None or (secret is not None and secret != c["secret"]):
                return self.reply(401, {"error": "invalid_client", "error_description": "unknown client or bad secret"})
            grant = form.get("grant_type")
            answer = {}
            if grant == "client_credentials":
                if secret is None:
                    return self.reply(401, {"error": "invalid_client", "error_description": "no client secret"})
            elif grant == "refresh_token":
                if not c["refresh"] or form.get("refresh_token") != c["refresh"]:
                    return self.reply(400, {"error": "invalid_grant", "error_description": "refresh token unknown or used"})
                if c["rotate"]:
                    c["refresh"] = secrets.token_urlsafe(24)
                    answer["refresh_token"] = c["refresh"]
            else:
                return self.reply(400, {"error": "unsupported_grant_type"})
            token = "tok-" + secrets.token_urlsafe(32)
            TOKENS[token] = (cid, c["user"], time.time() + c["lifetime"])
            c["issued"] += 1
            answer.update({"access_token": token, "token_type": "Bearer", "expires_in": int(c["lifetime"])})
            return self.reply(200, answer)


def main():
    port = int(sys.argv[1])
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
