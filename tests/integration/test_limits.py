"""Request limits and bad input: clear errors, no crash, state intact."""
import socket
import time
import unittest

from harness import MockCase, EXAMPLE_CREATE_TIME, EXAMPLE_SIGN, Mock, main


def raw_exchange(port, data, wait=2.0):
    """Sends raw bytes, returns everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks)


class Limits(MockCase):
    @classmethod
    def new_mock(cls):
        return Mock("--max-body", "1000", "--max-headers", "2048", "--timeout", "1")

    def assert_still_serving(self):
        r = self.mock.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
        self.assertEqual(r.json["ret_code"], "000000")

    def test_body_over_the_limit_is_413(self):
        r = self.mock.request("POST", "/api/get_token", body="{\"a\":\"%s\"}" % ("x" * 2000),
                              headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)
        self.assert_still_serving()

    def test_headers_over_the_limit_are_400(self):
        r = self.mock.request("GET", "/__admin/health", headers={"X-Big": "y" * 3000})
        self.assertEqual(r.status, 400)
        self.assert_still_serving()

    def test_silent_connection_is_closed_after_the_timeout(self):
        start = time.time()
        got = raw_exchange(self.mock.port, b"GET /__admin/health HTTP/1.1\r\nHost: x\r\n", wait=5)
        self.assertLess(time.time() - start, 4.5)
        self.assertNotIn(b"200 OK", got)
        self.assert_still_serving()

    def test_garbage_request_line(self):
        got = raw_exchange(self.mock.port, b"\x00\x01\x02 nonsense\r\n\r\n")
        self.assertTrue(got == b"" or got.startswith(b"HTTP/1.1 400"), got[:80])
        self.assert_still_serving()

    def test_malformed_json_body_gets_the_vendor_envelope(self):
        r = self.mock.request("GET", "/api/get_token?appid=1", body="{\"appid\":",
                              headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"ret_code": "999999", "ret_msg": "系统未知异常"})
        self.assertIn("not valid JSON", r.diagnostic)

    def test_broken_escape_in_query(self):
        r = self.mock.get("/api/get_token?appid=%zz")
        self.assertEqual(r.json["ret_code"], "999999")
        self.assertIn("escape", r.diagnostic)

    def test_request_line_over_the_header_limit_is_400(self):
        r = self.mock.get("/" + "a" * 5000)
        self.assertEqual(r.status, 400)

    def test_admin_rejects_malformed_json(self):
        r = self.mock.request("POST", "/__admin/clock", body="{nope", headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400)
        r = self.mock.request("POST", "/__admin/clock", body={"advanse": 5})
        self.assertEqual(r.status, 400)
        self.assertIn("advanse", r.json["error"])
        r = self.mock.request("POST", "/__admin/clock", body={"advance": "5"})
        self.assertEqual(r.status, 400)
        status, clock = self.mock.admin("GET", "clock")
        self.assertLess(abs(clock["offset_ms"]), 1000)  # nothing changed

    def test_admin_reads_json_whatever_the_content_type(self):
        # curl -d sends application/x-www-form-urlencoded: the README's own
        # examples must still move the clock, not answer 200 and do nothing.
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        before = self.mock.admin("GET", "clock")[1]["offset_ms"]
        r = self.mock.request("POST", "/__admin/clock", body='{"advance":86401}', headers=form)
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(r.json["offset_ms"] - before, 86400000)
        self.mock.admin("POST", "reset", {"scope": "clock"})
        r = self.mock.request("POST", "/__admin/clock", body='{"advanse":5}', headers=form)
        self.assertEqual(r.status, 400)
        self.assertIn("advanse", r.json["error"])

    def test_admin_body_that_is_not_json_is_400_and_changes_nothing(self):
        rule = {"action": {"type": "error", "code": "999999"}, "match": {"path": "/api/never/called"}}
        status, added = self.mock.admin("POST", "faults", rule)
        self.assertEqual(status, 201)
        try:
            r = self.mock.post_form("/__admin/reset", {"scope": "faults"})
            self.assertEqual(r.status, 400)
            self.assertIn("JSON", r.json["error"])
            self.assertIn("JSON", r.diagnostic)
            listed = self.mock.admin("GET", "faults")[1]["faults"]
            self.assertIn(added["id"], [f["id"] for f in listed])  # not reset
        finally:
            self.mock.admin("DELETE", "faults/%d" % added["id"])

    def test_clock_cannot_leave_the_representable_dates(self):
        for body in ({"advance": 9e12}, {"set": -5}, {"set": 253402300800}):
            r = self.mock.request("POST", "/__admin/clock", body=body)
            self.assertEqual(r.status, 400, body)
        status, clock = self.mock.admin("GET", "clock")
        self.assertLess(abs(clock["offset_ms"]), 1000)  # nothing changed

    def test_admin_wrong_method_is_405(self):
        r = self.mock.request("DELETE", "/__admin/clock")
        self.assertEqual(r.status, 405)

    def test_many_connections_at_once(self):
        socks = [socket.create_connection(("127.0.0.1", self.mock.port)) for _ in range(200)]
        for s in socks:
            s.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answered = 0
        for s in socks:
            s.settimeout(5)
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            answered += data.startswith(b"HTTP/1.1 200")
            s.close()
        self.assertEqual(answered, 200)


class TooManyHeaders(unittest.TestCase):
    def test_more_headers_than_the_view_holds_is_a_clear_400(self):
        with Mock() as m:
            headers = {"X-H%d" % i: "v" for i in range(70)}
            headers["token"] = m.token()
            r = m.request("POST", "/api/public/sso/5/login_url", body={"agent_email": "xiaoming@sobot.io"},
                          headers=headers)
            self.assertEqual(r.status, 400)
            self.assertIn("more than 64 headers", r.json["error"])


class LongPath(unittest.TestCase):
    def test_over_long_path_is_a_clear_400(self):
        with Mock() as m:
            r = m.get("/" + "a" * 5000)
            self.assertEqual(r.status, 400)
            self.assertIn("path", r.json["error"])


class AdminToken(unittest.TestCase):
    def test_admin_token_guards_the_control_plane(self):
        with Mock("--admin-token", "s3cret") as m:
            self.assertEqual(m.request("GET", "/__admin/health").status, 401)
            r = m.request("GET", "/__admin/health", headers={"X-Sobot-Mock-Admin-Token": "s3cret"})
            self.assertEqual(r.status, 200)
            # vendor routes stay open
            r = m.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
            self.assertEqual(r.json["ret_code"], "000000")


class Startup(unittest.TestCase):
    def test_bad_flag_exits_2(self):
        import subprocess
        from harness import BIN
        p = subprocess.run([BIN, "--no-such-flag"], capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"unknown option", p.stderr)

    def test_help_lists_flags_and_environment(self):
        import subprocess
        from harness import BIN
        p = subprocess.run([BIN, "--help"], capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 0)
        for word in (b"--port", b"SOBOT_MOCK_PORT", b"--db", b"--token-life", b"--fixtures"):
            self.assertIn(word, p.stdout)

    def test_environment_sets_options(self):
        with Mock(env={"SOBOT_MOCK_TOKEN_LIFE": "123"}) as m:
            r = m.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
            self.assertEqual(r.json["item"]["expires_in"], "123")

    def test_broken_fixtures_fail_at_start_naming_the_entry(self):
        import os
        import tempfile
        path = os.path.join(tempfile.mkdtemp(), "bad.json")
        with open(path, "w") as f:
            f.write('{"apps":[{"appid":"1","app_key":"2"},{"appid":"x"}]}')
        m = Mock(fixtures=path)
        with self.assertRaises(RuntimeError) as ctx:
            m.start()
        self.assertIn("apps[1]", str(ctx.exception))

    def test_over_long_app_key_in_fixtures_fails_at_start(self):
        import os
        import tempfile
        path = os.path.join(tempfile.mkdtemp(), "long.json")
        with open(path, "w") as f:
            f.write('{"apps":[{"appid":"1","app_key":"%s"}]}' % ("k" * 200))
        with self.assertRaises(RuntimeError) as ctx:
            Mock(fixtures=path).start()
        self.assertIn("apps[0]", str(ctx.exception))
        self.assertIn("too long", str(ctx.exception))

    def test_ready_line_names_the_url(self):
        with Mock() as m:
            time.sleep(0.05)
            self.assertIn("ready on http://127.0.0.1:%d/" % m.port, m.read_log())


if __name__ == "__main__":
    main()
