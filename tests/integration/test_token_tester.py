"""API Management's tester of a customer's external (dynamic) token API.

The mock plays Sobot: POST /__admin/apimanage/external-token/test makes it
call a fake customer token server run here (http.server on 127.0.0.1) and
report every check.
"""
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from harness import MockCase, Mock, main, md5

PATH = "/__admin/apimanage/external-token/test"
APP_KEY = "demo-app-key"
APP_SECRET = "s3cr3t-Value-42"


class FakeTokenServer:
    """A customer's token server on loopback. `behaviour` picks its faults."""

    def __init__(self, behaviour="good", tls_context=None):
        self.behaviour = behaviour
        self.received = []  # (path, method, params dict) per call
        self.counter = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query))
                server.answer(self, url.path, "GET", params)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    params = json.loads(body)
                except ValueError:
                    params = {"_raw": body.decode("utf-8", "replace")}
                server.answer(self, urllib.parse.urlsplit(self.path).path, "POST", params,
                              self.headers.get("Content-Type"))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls_context:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.httpd.server_address[1]

    def url(self, path, scheme="http"):
        return "%s://127.0.0.1:%d%s" % (scheme, self.port, path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def send(self, handler, status, body, content_type="application/json"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def answer(self, handler, path, method, params, content_type=None):
        self.received.append((path, method, params, content_type))
        self.counter += 1
        b = self.behaviour
        refresh = path.endswith("/refresh")
        if b == "slow":
            time.sleep(1.5)
        if b == "non200":
            return self.send(handler, 500, '{"error":"boom"}')
        if b == "html":
            return self.send(handler, 200, "<html><body>Login</body></html>", "text/html")
        if b == "wrong_code":
            return self.send(handler, 200, '{"code":"100001","msg":"bad sign"}')
        if b == "numeric_code":
            return self.send(handler, 200, '{"code":0,"data":{"access_token":"a","refresh_token":"r"}}')
        if b == "no_tokens":
            return self.send(handler, 200, '{"code":"000000","data":{"access_token":""}}')
        if b == "big":
            return self.send(handler, 200, '{"code":"000000","pad":"' + "x" * 100000 + '"}')
        access = "access-%d" % (1 if (b == "same_token" and refresh) else self.counter)
        body = {"code": "000000", "data": {"access_token": access, "refresh_token": "refresh-%d" % self.counter}}
        self.send(handler, 200, json.dumps(body))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Tester(MockCase):

    def fake(self, behaviour="good", **kw):
        server = FakeTokenServer(behaviour, **kw)
        self.addCleanup(server.close)
        return server

    def run_test(self, fake=None, **fields):
        body = {"app_key": APP_KEY, "app_secret": APP_SECRET}
        if fake:
            body["token_url"] = fake.url("/oauth/token")
            body["refresh_url"] = fake.url("/oauth/refresh")
        body.update(fields)
        r = self.mock.post_json(PATH, body)
        self.assertEqual(r.status, 200, r.body)
        return r.json

    def results(self, report):
        return {c["name"]: c["result"] for c in report["checks"]}

    def detail(self, report, name):
        return [c["detail"] for c in report["checks"] if c["name"] == name][0]

    # ---- a good server ----
    def test_good_server_passes_every_check(self):
        fake = self.fake()
        report = self.run_test(fake)
        self.assertTrue(report["ok"], report)
        self.assertEqual(report["failed"], [])
        names = [c["name"] for c in report["checks"]]
        self.assertEqual(names, [
            "token.reachable", "token.http_200", "token.json", "token.code", "token.access_token",
            "token.refresh_token", "refresh.reachable", "refresh.http_200", "refresh.json",
            "refresh.code", "refresh.access_token", "refresh.refresh_token",
            "refresh.new_access_token"])
        self.assertEqual(set(self.results(report).values()), {"pass"})
        self.assertEqual(report["token"]["response"]["status"], 200)
        self.assertIn("access-1", report["token"]["response"]["body"])
        self.assertEqual(report["limits"]["timeout_ms"], 3000)

    def test_sign_received_is_md5_of_key_timestamp_secret(self):
        fake = self.fake()
        self.run_test(fake)
        path, method, params, content_type = fake.received[0]
        self.assertEqual((path, method), ("/oauth/token", "POST"))
        self.assertTrue(content_type.startswith("application/json"))
        self.assertEqual(sorted(params), ["app_key", "sign", "timestamp"])
        self.assertEqual(params["app_key"], APP_KEY)
        self.assertIsInstance(params["timestamp"], int)  # Long, as documented
        self.assertGreater(params["timestamp"], 10 ** 12)  # milliseconds
        self.assertEqual(params["sign"], md5(APP_KEY, params["timestamp"], APP_SECRET))

    def test_refresh_sends_the_refresh_token(self):
        fake = self.fake()
        self.run_test(fake)
        path, method, params, _ = fake.received[1]
        self.assertEqual((path, method, params), ("/oauth/refresh", "POST", {"refresh_token": "refresh-1"}))

    def test_timestamp_comes_from_the_mock_clock(self):
        fake = self.fake()
        self.mock.admin("POST", "clock", {"set": 1700000000, "freeze": True})
        try:
            report = self.run_test(fake)
        finally:
            self.mock.admin("POST", "clock", {"resume": True})
        params = fake.received[0][2]
        self.assertEqual(params["timestamp"], 1700000000000)
        self.assertEqual(report["token"]["request"]["params"]["timestamp"], 1700000000000)

    def test_get_sends_a_query_string(self):
        fake = self.fake()
        report = self.run_test(fake, method="GET", token_url=fake.url("/oauth/token?tenant=7"))
        self.assertTrue(report["ok"], report)
        path, method, params, _ = fake.received[0]
        self.assertEqual((path, method), ("/oauth/token", "GET"))
        self.assertEqual(params["tenant"], "7")
        self.assertEqual(params["sign"], md5(APP_KEY, params["timestamp"], APP_SECRET))
        self.assertEqual(fake.received[1][2], {"refresh_token": "refresh-1"})
        self.assertIn("sign=", report["token"]["request"]["url"])
        self.assertNotIn("body", report["token"]["request"])

    def test_secret_is_masked_in_the_report(self):
        fake = self.fake()
        report = self.run_test(fake)
        text = json.dumps(report)
        self.assertNotIn(APP_SECRET, text)
        sent = report["token"]["request"]
        self.assertEqual(sent["app_secret"], "s3" + "*" * (len(APP_SECRET) - 2))
        self.assertIn("md5(app_key + timestamp + app_secret)", sent["sign_formula"])
        self.assertIn(sent["params"]["sign"], sent["sign_formula"])

    def test_without_refresh_url_refresh_checks_are_skipped(self):
        fake = self.fake()
        report = self.run_test(token_url=fake.url("/oauth/token"))
        self.assertTrue(report["ok"])
        self.assertEqual(self.results(report)["refresh.reachable"], "skip")
        self.assertIsNone(report["refresh"])
        self.assertEqual(len(fake.received), 1)

    # ---- bad servers ----
    def test_unreachable_port(self):
        report = self.run_test(token_url="http://127.0.0.1:%d/token" % closed_port())
        self.assertFalse(report["ok"])
        self.assertEqual(report["failed"], ["token.reachable"])
        self.assertIn("refused", self.detail(report, "token.reachable").lower())
        self.assertEqual(self.results(report)["token.http_200"], "skip")

    def test_non_200(self):
        report = self.run_test(self.fake("non200"))
        self.assertEqual(report["failed"], ["token.http_200"])
        self.assertIn("500", self.detail(report, "token.http_200"))
        self.assertEqual(report["token"]["response"]["status"], 500)
        self.assertIn("boom", report["token"]["response"]["body"])

    def test_non_json(self):
        report = self.run_test(self.fake("html"))
        self.assertEqual(report["failed"], ["token.json"])
        self.assertIn("<html>", report["token"]["response"]["body"])

    def test_wrong_code(self):
        report = self.run_test(self.fake("wrong_code"))
        self.assertEqual(report["failed"], ["token.code"])
        self.assertIn("100001", self.detail(report, "token.code"))

    def test_numeric_code_is_not_the_string(self):
        report = self.run_test(self.fake("numeric_code"))
        self.assertEqual(report["failed"], ["token.code"])
        self.assertIn("a number", self.detail(report, "token.code"))

    def test_missing_tokens(self):
        report = self.run_test(self.fake("no_tokens"))
        self.assertEqual(report["failed"], ["token.access_token", "token.refresh_token"])
        self.assertIn("empty", self.detail(report, "token.access_token"))
        self.assertIn("missing", self.detail(report, "token.refresh_token"))
        self.assertEqual(self.results(report)["refresh.reachable"], "skip")

    def test_refresh_returning_the_same_access_token(self):
        report = self.run_test(self.fake("same_token"))
        self.assertEqual(report["failed"], ["refresh.new_access_token"])
        self.assertIn("equals the old one", self.detail(report, "refresh.new_access_token"))

    def test_slow_server_past_the_timeout(self):
        fake = self.fake("slow")
        started = time.monotonic()
        report = self.run_test(fake, timeout_ms=300)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 1.2)  # the fake answers after 1.5 s
        self.assertEqual(report["failed"], ["token.http_200"])
        self.assertEqual(self.results(report)["token.reachable"], "pass")
        self.assertIn("timeout", self.detail(report, "token.http_200"))
        self.assertIsNone(report["token"]["response"]["status"])
        self.assertEqual(report["limits"]["timeout_ms"], 300)

    def test_oversized_answer_is_cut_off(self):
        report = self.run_test(self.fake("big"))
        self.assertEqual(report["failed"], ["token.http_200"])
        self.assertIn("larger than 65536", self.detail(report, "token.http_200"))
        self.assertTrue(report["token"]["response"]["truncated"])
        self.assertLessEqual(len(report["token"]["response"]["raw"]), 2048)

    def test_host_name_is_resolved(self):
        fake = self.fake()
        report = self.run_test(token_url="http://localhost:%d/oauth/token" % fake.port)
        self.assertEqual(self.results(report)["token.reachable"], "pass", report)

    # ---- bad input ----
    def test_bad_input_is_400(self):
        cases = [
            ({}, "token_url"),
            ({"token_url": "ftp://x/y"}, "http://"),
            ({"token_url": "http://127.0.0.1:1/t", "app_key": "k"}, "app_secret"),
            ({"token_url": "http://127.0.0.1:1/t", "app_key": "k", "app_secret": "s",
              "timeout_ms": 60000}, "timeout_ms"),
            ({"token_url": "http://127.0.0.1:1/t", "app_key": "k", "app_secret": "s",
              "method": "PUT"}, "method"),
            ({"token_url": "http://127.0.0.1:1/t", "app_key": "k", "app_secret": "s",
              "tokenurl": "x"}, "tokenurl"),
        ]
        for body, word in cases:
            with self.subTest(body=body):
                r = self.mock.post_json(PATH, body)
                self.assertEqual(r.status, 400, r.body)
                self.assertIn(word, r.json["error"])

    def test_listed_in_the_route_table(self):
        status, body = self.mock.admin("GET", "routes")
        rows = [r for r in body["routes"] if r["path"] == PATH]
        self.assertEqual([r["method"] for r in rows], ["POST"])


@unittest.skipUnless(shutil.which("openssl"), "needs the openssl command to make a certificate")
class TesterOverHttps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tmp = tempfile.mkdtemp()
        cls.cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cls.cert], check=True, capture_output=True)
        cls.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cls.context.load_cert_chain(cls.cert, key)
        cls.mock = Mock().start()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def run_https(self, **fields):
        fake = FakeTokenServer(tls_context=self.context)
        self.addCleanup(fake.close)
        body = {"app_key": APP_KEY, "app_secret": APP_SECRET,
                "token_url": fake.url("/oauth/token", "https"),
                "refresh_url": fake.url("/oauth/refresh", "https")}
        body.update(fields)
        r = self.mock.post_json(PATH, body)
        self.assertEqual(r.status, 200)
        return r.json, fake

    def test_self_signed_certificate_is_refused_by_default(self):
        report, _ = self.run_https()
        self.assertEqual(report["failed"], ["token.reachable"])
        detail = report["checks"][0]["detail"]
        self.assertIn("certificate", detail)
        self.assertIn("tls_verify", detail)

    def test_https_without_verification(self):
        report, fake = self.run_https(tls_verify=False)
        self.assertTrue(report["ok"], report)
        params = fake.received[0][2]
        self.assertEqual(params["sign"], md5(APP_KEY, params["timestamp"], APP_SECRET))

    def test_https_trusting_the_certificate(self):
        with Mock(env={"SSL_CERT_FILE": self.cert}) as m:
            fake = FakeTokenServer(tls_context=self.context)
            self.addCleanup(fake.close)
            r = m.post_json(PATH, {"app_key": APP_KEY, "app_secret": APP_SECRET,
                                   "token_url": fake.url("/oauth/token", "https")})
            self.assertTrue(r.json["ok"], r.json)


if __name__ == "__main__":
    main()
