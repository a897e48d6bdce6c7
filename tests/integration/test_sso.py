"""SSO login links end to end: login_url over HTTP and HTTPS, every option
and error, the token rules on a token-checked route, the link's life (clock,
single use), the pages it leads to, logout, and /__admin/sso."""
import base64
import http.client
import json
import os
import socket
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from harness import Mock, main

LOGIN_URL = "/api/public/sso/5/login_url"
EXAMPLE_BODY = {"agent_email": "xiaoming@sobot.io", "type": "1", "status": 1}


def b64url_json(part):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def jwt_parts(url):
    token = urllib.parse.urlsplit(url).path.rsplit("/", 1)[1]
    header, payload, _ = token.split(".")
    return b64url_json(header), b64url_json(payload)


def cookie_of(reply):
    """The session cookie pair ("name=value") from Set-Cookie."""
    value = reply.header("Set-Cookie")
    return value.split(";", 1)[0] if value else None


class SsoCase(unittest.TestCase):
    """One mock (HTTP + HTTPS, certificate written) shared by a class."""

    mock_args = ()

    @classmethod
    def setUpClass(cls):
        cls.mock = Mock(*cls.mock_args, https=True, cert_out=True).start()
        cls.token = cls.mock.token()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def login_url(self, body, tls=False, headers=None, token=None):
        hdrs = {"token": token or self.token}
        hdrs.update(headers or {})
        context = self.mock.tls_context() if tls else None
        return self.mock.request("POST", LOGIN_URL, body=body, headers=hdrs, tls=tls,
                                 context=context)

    def link(self, body=None, **kw):
        r = self.login_url(body or EXAMPLE_BODY, **kw)
        self.assertEqual(r.json["ret_code"], "000000", (r.json, r.diagnostic))
        return r.json["item"]["url"]

    def open(self, url, headers=None, method="GET"):
        """Follows a link the way a browser would: to the host in the URL."""
        parts = urllib.parse.urlsplit(url)
        tls = parts.scheme == "https"
        path = parts.path + ("?" + parts.query if parts.query else "")
        return self.mock.request(method, path, headers=headers, tls=tls,
                                 context=self.mock.tls_context() if tls else None)

    def assertVendorError(self, reply, code, *in_diag):
        self.assertEqual(reply.status, 200)
        body = reply.json
        self.assertEqual(body["ret_code"], code, (body, reply.diagnostic))
        self.assertNotIn("item", body)
        for text in in_diag:
            self.assertIn(text, reply.diagnostic)


class DocumentedExample(SsoCase):
    def test_docs_example_verbatim_over_http(self):
        r = self.login_url(EXAMPLE_BODY)
        self.assertEqual(list(r.json.keys()), ["item", "ret_code", "ret_msg"])
        self.assertEqual((r.json["ret_code"], r.json["ret_msg"]), ("000000", "Success"))
        url = r.json["item"]["url"]
        self.assertRegex(url, r"^http://127\.0\.0\.1:%d/console/openAPI/login/"
                              r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$" % self.mock.port)

    def test_docs_example_over_https_trusting_the_written_certificate(self):
        r = self.login_url(EXAMPLE_BODY, tls=True)
        self.assertEqual(r.json["ret_code"], "000000")
        self.assertTrue(r.json["item"]["url"].startswith(
            "https://127.0.0.1:%d/console/openAPI/login/" % self.mock.https_port))

    def test_docs_example_as_raw_curl_body(self):
        # The docs' body, byte for byte, with its whitespace and newlines.
        body = '\n{\n"agent_email": "xiaoming@sobot.io",\n"type": "1",\n"status": 1\n}'
        r = self.login_url(body, headers={"content-type": "application/json"})
        self.assertEqual(r.json["ret_code"], "000000")

    def test_jwt_header_claims_and_life(self):
        now = self.mock.admin("GET", "clock")[1]["now"]
        header, claims = jwt_parts(self.link(dict(EXAMPLE_BODY, redirect_url="/x",
                                                  logout_url="https://app.example/bye")))
        self.assertEqual(header, {"typ": "JWT", "alg": "HS256"})  # as in the docs' example
        self.assertEqual(claims["iss"], "xiaoming@sobot.io")
        self.assertIn(claims["exp"] - now, (300, 301))  # default link life
        self.assertEqual(claims["exp"] - claims["iat"], 300)
        self.assertEqual((claims["type"], claims["status"], claims["enable_menu"]), (1, 1, 1))
        self.assertEqual(claims["redirect_url"], "/x")
        self.assertEqual(claims["logout_url"], "https://app.example/bye")
        self.assertEqual(claims["appid"], "1")
        self.assertRegex(claims["jti"], "^[0-9a-f]{32}$")

    def test_form_body_works_too(self):
        r = self.mock.post_form(LOGIN_URL, {"agent_email": "xiaoming@sobot.io", "type": "2"},
                                headers={"token": self.token})
        self.assertEqual(r.json["ret_code"], "000000")

    def test_json_sent_as_form_says_so(self):
        r = self.mock.request("POST", LOGIN_URL, body=json.dumps(EXAMPLE_BODY),
                              headers={"token": self.token,
                                       "Content-Type": "application/x-www-form-urlencoded"})
        self.assertVendorError(r, "920001", "Content-Type: application/json")

    def test_route_is_in_the_table_with_the_token_check(self):
        routes = self.mock.admin("GET", "routes")[1]["routes"]
        row = [x for x in routes if x["name"] == "sso.login_url"][0]
        self.assertEqual((row["method"], row["path"], row["auth"]), ("POST", LOGIN_URL, "token"))


class SchemeAndHost(SsoCase):
    def test_http_request_gives_http_link(self):
        self.assertTrue(self.link().startswith("http://"))

    def test_https_request_gives_https_link(self):
        self.assertTrue(self.link(tls=True).startswith("https://"))

    def test_forwarded_proto_wins(self):
        url = self.link(headers={"X-Forwarded-Proto": "https"})
        self.assertTrue(url.startswith("https://127.0.0.1:%d/" % self.mock.port))
        url = self.link(tls=True, headers={"X-Forwarded-Proto": "http"})
        self.assertTrue(url.startswith("http://"))

    def test_host_is_the_one_the_client_used(self):
        url = self.link(headers={"Host": "sso.example.test:9443"})
        self.assertTrue(url.startswith("http://sso.example.test:9443/console/openAPI/login/"))
        url = self.link(tls=True, headers={"Host": "localhost:%d" % self.mock.https_port})
        self.assertTrue(url.startswith("https://localhost:%d/" % self.mock.https_port))

    def test_no_host_header_falls_back_to_the_listen_address(self):
        body = json.dumps(EXAMPLE_BODY).encode()
        raw = (b"POST " + LOGIN_URL.encode() + b" HTTP/1.0\r\ntoken: " + self.token.encode() +
               b"\r\nContent-Type: application/json\r\nContent-Length: " +
               str(len(body)).encode() + b"\r\n\r\n" + body)
        with socket.create_connection(("127.0.0.1", self.mock.port), timeout=10) as s:
            s.sendall(raw)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        reply = json.loads(data.split(b"\r\n\r\n", 1)[1])
        self.assertTrue(reply["item"]["url"].startswith(
            "http://127.0.0.1:%d/console/openAPI/login/" % self.mock.port), reply)


class Options(SsoCase):
    def console(self, body):
        r = self.open(self.link(body))
        self.assertEqual(r.status, 200, r.text)
        return r.text

    def test_type_absent_means_admin_backend(self):
        page = self.console({"agent_email": "xiaoming@sobot.io"})
        self.assertIn('id="workbench">Sobot admin backend (type not sent)', page)
        self.assertIn('id="status">not set', page)
        self.assertIn('id="menu-setting">1 (shown)', page)
        self.assertIn('<nav id="menu">', page)

    def test_every_type_as_number_and_string(self):
        labels = {1: "new console", 2: "livechat workbench", 3: "call workbench",
                  4: "new Sobot admin backend", 5: "agent workbench"}
        for value, label in labels.items():
            for sent in (value, str(value)):
                page = self.console({"agent_email": "xiaoming@sobot.io", "type": sent})
                self.assertIn('id="workbench">%d (%s)' % (value, label), page)

    def test_status(self):
        self.assertIn('id="status">1 (online)',
                      self.console({"agent_email": "xiaoming@sobot.io", "status": 1}))
        self.assertIn('id="status">2 (busy)',
                      self.console({"agent_email": "xiaoming@sobot.io", "status": "2"}))

    def test_enable_menu_2_hides_the_menu(self):
        page = self.console({"agent_email": "xiaoming@sobot.io", "enable_menu": "2"})
        self.assertIn('id="menu-setting">2 (hidden)', page)
        self.assertNotIn('<nav id="menu">', page)

    def test_empty_strings_count_as_not_sent(self):
        page = self.console({"agent_email": "xiaoming@sobot.io", "type": "", "status": "",
                             "enable_menu": "", "redirect_url": "", "logout_url": ""})
        self.assertIn("type not sent", page)

    def test_redirect_url_redirects_with_the_cookie(self):
        for target in ("https://app.example/console/ticket?id=7", "/console/openAPI/home"):
            r = self.open(self.link({"agent_email": "xiaoming@sobot.io", "redirect_url": target}))
            self.assertEqual(r.status, 302)
            self.assertEqual(r.header("Location"), target)
            self.assertTrue(cookie_of(r).startswith("sobot_mock_session="))

    def test_redirect_to_home_shows_the_console(self):
        r = self.open(self.link({"agent_email": "xiaoming@sobot.io", "type": 5,
                                 "redirect_url": "/console/openAPI/home"}))
        home = self.mock.get("/console/openAPI/home", headers={"Cookie": cookie_of(r)})
        self.assertEqual(home.status, 200)
        self.assertIn('id="workbench">5 (agent workbench)', home.text)

    def test_logout_url(self):
        r = self.open(self.link({"agent_email": "xiaoming@sobot.io",
                                 "logout_url": "https://app.example/logged-out"}))
        self.assertIn('id="logout-target">https://app.example/logged-out', r.text)
        out = self.mock.get("/console/openAPI/logout", headers={"Cookie": cookie_of(r)})
        self.assertEqual(out.status, 302)
        self.assertEqual(out.header("Location"), "https://app.example/logged-out")

    def test_escaped_urls_are_listed_whole_and_the_link_opens(self):
        # '"' and '\\' print as two bytes in the options and the claims.
        body = {"agent_email": "xiaoming@sobot.io",
                "redirect_url": "/r?" + '"' * 300 + "x" * 720,
                "logout_url": "https://a.example/" + "\\" * 300 + "y" * 600}
        link = self.link(body)
        listed = [l for l in self.mock.admin("GET", "sso")[1]["links"]
                  if l["url"] == link][0]
        self.assertEqual(listed["options"], {k: body[k] for k in ("redirect_url", "logout_url")})
        r = self.open(link)
        self.assertEqual((r.status, r.header("Location")), (302, body["redirect_url"]))

    def test_a_link_too_long_to_open_is_not_issued(self):
        # Each URL within 1024 bytes, but escaped and base64url-coded the
        # link's path would pass the 4095 bytes the mock serves.
        body = {"agent_email": "xiaoming@sobot.io", "redirect_url": "/" + '"' * 1000,
                "logout_url": "/" + '"' * 1020}
        r = self.login_url(body)
        self.assertVendorError(r, "920005", "logout_url", "too long to open")
        self.assertEqual(r.json["ret_msg"], "参数取值不合法: logout_url")

    def test_values_are_html_escaped(self):
        r = self.open(self.link({"agent_email": "xiaoming@sobot.io",
                                 "logout_url": "/a?<script>x</script>&b=\"1\""}))
        self.assertNotIn("<script>", r.text)
        self.assertIn("&lt;script&gt;", r.text)


class Errors(SsoCase):
    def test_missing_agent_email(self):
        for body in ({}, {"type": 2}, {"agent_email": ""}):
            r = self.login_url(body)
            self.assertVendorError(r, "920001", "agent_email")
            self.assertEqual(r.json["ret_msg"], "agent_email不能为空")

    def test_unknown_agent(self):
        r = self.login_url({"agent_email": "nobody@sobot.io"})
        self.assertVendorError(r, "920002", "nobody@sobot.io")
        self.assertEqual(r.json["ret_msg"], "坐席不存在")

    def test_disabled_agent(self):
        r = self.login_url({"agent_email": "lihua@sobot.io"})
        self.assertVendorError(r, "920003", "disabled")

    def test_agent_of_another_company(self):
        r = self.login_url({"agent_email": "anna@sunrise-retail.example"})
        self.assertVendorError(r, "920004", "5d1e7a9c3b8f4e2a9c6d0b1e2f3a4b5c")

    def test_bad_values_name_the_field(self):
        cases = [("type", "6"), ("type", 0), ("type", "abc"), ("type", True), ("type", "12"),
                 ("type", 1.5), ("status", 3), ("status", "online"), ("enable_menu", 0),
                 ("enable_menu", "3"), ("redirect_url", "javascript:alert(1)"),
                 ("redirect_url", "/has space"), ("logout_url", 7),
                 # protocol-relative: a browser leaves the mock for evil.example
                 ("redirect_url", "//evil.example/x"), ("logout_url", "/\\evil.example"),
                 ("logout_url", "https://x/" + "a" * 1100)]
        for name, value in cases:
            body = {"agent_email": "xiaoming@sobot.io", name: value}
            r = self.login_url(body)
            self.assertVendorError(r, "920005", name)
            self.assertEqual(r.json["ret_msg"], "参数取值不合法: " + name, body)

    def test_english_messages(self):
        r = self.login_url({"agent_email": "xiaoming@sobot.io", "status": 9},
                           headers={"language": "en"})
        self.assertEqual(r.json, {"ret_code": "920005", "ret_msg": "invalid parameter value: status"})
        r = self.login_url({"agent_email": "nobody@sobot.io"}, headers={"language": "en"})
        self.assertEqual(r.json["ret_msg"], "agent does not exist")

    def test_errors_over_https_too(self):
        r = self.login_url({"agent_email": "nobody@sobot.io"}, tls=True)
        self.assertVendorError(r, "920002")

    def test_malformed_json_is_999999(self):
        r = self.login_url('{"agent_email": ', headers={"Content-Type": "application/json"})
        self.assertVendorError(r, "999999")


class TokenRules(unittest.TestCase):
    """The shared token check, proven on its first token-checked route."""

    def setUp(self):
        self.mock = Mock(https=True).start()

    def tearDown(self):
        self.mock.stop()

    def post(self, token=None, tls=False):
        headers = {} if token is None else {"token": token}
        return self.mock.request("POST", LOGIN_URL, body=EXAMPLE_BODY, headers=headers, tls=tls)

    def test_missing_token_is_900001(self):
        for tls in (False, True):
            r = self.post(tls=tls)
            self.assertEqual(r.json, {"ret_code": "900001", "ret_msg": "token为空"})
            self.assertIn("token", r.diagnostic)
        self.assertEqual(self.post(token="").json["ret_code"], "900001")

    def test_unknown_token_is_900002(self):
        r = self.post("0" * 32)
        self.assertEqual(r.json, {"ret_code": "900002", "ret_msg": "token已失效，请重新获取"})

    def test_replaced_token_is_900002(self):
        old = self.mock.token()
        self.assertEqual(self.post(old).json["ret_code"], "000000")
        new = self.mock.token()
        self.assertEqual(self.post(old).json["ret_code"], "900002")
        self.assertEqual(self.post(new).json["ret_code"], "000000")

    def test_expired_token_is_900002(self):
        token = self.mock.token()
        self.mock.admin("POST", "clock", {"advance": 86399})
        self.assertEqual(self.post(token).json["ret_code"], "000000")
        self.assertEqual(self.mock.admin("POST", "clock", {"advance": 2})[0], 200)
        self.assertEqual(self.post(token).json["ret_code"], "900002")

    def test_token_valid_on_every_worker(self):
        token = self.mock.token()
        results = []

        def fire():
            for tls in (False, True, False, True):
                results.append(self.post(token, tls=tls).json["ret_code"])

        threads = [threading.Thread(target=fire) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, ["000000"] * 24)


class LinkLife(unittest.TestCase):
    def open(self, m, url, method="GET"):
        return m.request(method, urllib.parse.urlsplit(url).path)

    def new_link(self, m, body=None):
        r = m.request("POST", LOGIN_URL, body=body or EXAMPLE_BODY, headers={"token": m.token()})
        return r.json["item"]["url"]

    def test_single_use_by_default(self):
        with Mock() as m:
            url = self.new_link(m)
            self.assertEqual(self.open(m, url).status, 200)
            again = self.open(m, url)
            self.assertEqual(again.status, 410)
            self.assertIn("already used", again.text)
            self.assertIsNone(again.header("Set-Cookie"))

    def test_head_does_not_use_the_link(self):
        with Mock() as m:
            url = self.new_link(m)
            self.assertEqual(self.open(m, url, "HEAD").status, 200)
            self.assertEqual(self.open(m, url).status, 200)
            self.assertEqual(self.open(m, url, "HEAD").status, 410)

    def test_reusable_links_flag(self):
        with Mock("--sso-reusable-links") as m:
            url = self.new_link(m)
            self.assertEqual(self.open(m, url).status, 200)
            self.assertEqual(self.open(m, url).status, 200)
            link = m.admin("GET", "sso")[1]["links"][0]
            self.assertEqual((link["used"], link["uses"]), (True, 2))

    def test_expires_with_the_mock_clock(self):
        with Mock() as m:
            url = self.new_link(m)
            m.admin("POST", "clock", {"advance": 301})
            r = self.open(m, url)
            self.assertEqual(r.status, 410)
            self.assertIn("expired", r.text)
            self.assertIn("expired", r.diagnostic)

    def test_link_life_flag(self):
        with Mock("--sso-link-life", "10") as m:
            url = self.new_link(m)
            _, claims = jwt_parts(url)
            self.assertEqual(claims["exp"] - claims["iat"], 10)
            m.admin("POST", "clock", {"advance": 9})
            self.assertEqual(self.open(m, url).status, 200)
            url = self.new_link(m)
            m.admin("POST", "clock", {"advance": 11})
            self.assertEqual(self.open(m, url).status, 410)

    def test_tampered_and_foreign_links_are_401(self):
        with Mock() as m, Mock() as other:
            url = self.new_link(m)
            path = urllib.parse.urlsplit(url).path
            head, payload, sig = path.rsplit("/", 1)[1].split(".")
            claims = b64url_json(payload)
            claims["iss"] = "someone@sobot.io"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            r = m.get("/console/openAPI/login/%s.%s.%s" % (head, forged, sig))
            self.assertEqual(r.status, 401)
            self.assertIn("signature", r.text)
            self.assertEqual(m.get("/console/openAPI/login/garbage").status, 401)
            self.assertEqual(m.get("/console/openAPI/login/").status, 401)
            # Signed by another mock start (another random key).
            r = other.get(path)
            self.assertEqual(r.status, 401)
            self.assertIn("signature", r.text)
            # The original link is still good: failed attempts do not use it.
            self.assertEqual(self.open(m, url).status, 200)

    def test_same_secret_elsewhere_still_needs_the_record(self):
        with Mock("--sso-secret", "s3cret") as m, Mock("--sso-secret", "s3cret") as other:
            path = urllib.parse.urlsplit(self.new_link(m)).path
            r = other.get(path)
            self.assertEqual(r.status, 401)
            self.assertIn("no record", r.text)

    def test_reset_forgets_links(self):
        with Mock() as m:
            url = self.new_link(m)
            m.admin("POST", "reset", {"scope": "state"})
            self.assertEqual(self.open(m, url).status, 401)
            self.assertEqual(m.admin("GET", "sso")[1]["count"], 0)

    def test_db_restart_with_same_secret_keeps_links_and_new_secret_refuses(self):
        db = os.path.join(tempfile.mkdtemp(), "state.db")
        with Mock("--sso-secret", "k1", db=db) as m:
            kept, other = self.new_link(m), self.new_link(m)
        with Mock("--sso-secret", "k1", db=db) as m:
            self.assertEqual(self.open(m, kept).status, 200)
            self.assertEqual(self.open(m, kept).status, 410)
        with Mock(db=db) as m:  # a new random secret
            r = self.open(m, other)
            self.assertEqual(r.status, 401)
            self.assertIn("signature", r.text)

    def test_concurrent_opens_let_exactly_one_in(self):
        with Mock() as m:
            url = self.new_link(m)
            statuses = []
            threads = [threading.Thread(target=lambda: statuses.append(self.open(m, url).status))
                       for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(sorted(statuses), [200] + [410] * 7)


class Session(SsoCase):
    def test_console_home_logout_cycle(self):
        r = self.open(self.link())
        self.assertEqual(r.status, 200)
        cookie = r.header("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("Path=/", cookie)
        self.assertNotIn("Secure", cookie)
        self.assertIn('id="agent-email">xiaoming@sobot.io', r.text)
        self.assertIn('id="logout" href="/console/openAPI/logout"', r.text)
        jar = {"Cookie": cookie_of(r)}
        home = self.mock.get("/console/openAPI/home", headers=jar)
        self.assertEqual(home.status, 200)
        self.assertIn("Logged in as Xiaoming", home.text)
        out = self.mock.get("/console/openAPI/logout", headers=jar)
        self.assertEqual(out.status, 302)
        self.assertEqual(out.header("Location"), "/console/login")
        self.assertIn("Max-Age=0", out.header("Set-Cookie"))
        self.assertEqual(self.mock.get("/console/openAPI/home", headers=jar).status, 401)
        login = self.mock.get("/console/login")
        self.assertEqual(login.status, 200)
        self.assertIn("logged out", login.text)

    def test_https_cookie_is_secure(self):
        r = self.open(self.link(tls=True))
        self.assertEqual(r.status, 200)
        self.assertIn("Secure", r.header("Set-Cookie"))

    def test_home_without_session(self):
        self.assertEqual(self.mock.get("/console/openAPI/home").status, 401)
        r = self.mock.get("/console/openAPI/home",
                          headers={"Cookie": "other=1; sobot_mock_session=" + "f" * 32})
        self.assertEqual(r.status, 401)
        self.assertIn("Not logged in", r.text)

    def test_logout_without_session_goes_to_login_page(self):
        r = self.mock.get("/console/openAPI/logout")
        self.assertEqual((r.status, r.header("Location")), (302, "/console/login"))


class AdminListing(SsoCase):
    def test_lists_what_the_client_asked_for(self):
        body = {"agent_email": "xiaoming@sobot.io", "type": "4", "status": 2, "enable_menu": 2,
                "redirect_url": "/console/openAPI/home", "logout_url": "https://a.example/"}
        url = self.link(body)
        status, listing = self.mock.admin("GET", "sso")
        self.assertEqual(status, 200)
        row = [x for x in listing["links"] if x["url"] == url][0]
        self.assertEqual(row["agent_email"], "xiaoming@sobot.io")
        self.assertEqual(row["appid"], "1")
        del body["agent_email"]
        self.assertEqual(row["options"], body)  # as sent, string or number
        self.assertEqual(row["understood"]["type"], 4)
        self.assertEqual(row["understood"]["type_label"], "new Sobot admin backend")
        self.assertEqual(row["understood"]["enable_menu"], 2)
        self.assertEqual(row["expires"] - row["issued"], 300)
        self.assertEqual((row["used"], row["uses"], row["expired"]), (False, 0, False))
        self.assertIsNone(row["first_used"])
        self.open(url)
        row = [x for x in self.mock.admin("GET", "sso")[1]["links"] if x["url"] == url][0]
        self.assertEqual((row["used"], row["uses"]), (True, 1))
        self.assertIsInstance(row["first_used"], int)

    def test_filters(self):
        self.link()
        listing = self.mock.admin("GET", "sso?agent_email=xiaoming@sobot.io")[1]
        self.assertGreaterEqual(listing["count"], 1)
        self.assertEqual(self.mock.admin("GET", "sso?agent_email=x@y.z")[1]["count"], 0)
        self.assertEqual(self.mock.admin("GET", "sso?appid=nope")[1]["count"], 0)

    def test_failed_requests_issue_no_link(self):
        before = self.mock.admin("GET", "sso")[1]["count"]
        self.login_url({"agent_email": "nobody@sobot.io"})
        self.login_url({"agent_email": "xiaoming@sobot.io", "type": 9})
        self.assertEqual(self.mock.admin("GET", "sso")[1]["count"], before)


if __name__ == "__main__":
    main()
