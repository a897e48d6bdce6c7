"""Fault injection, observed the way a client sees it: from a real socket."""
import json
import os
import socket
import tempfile
import threading
import time
import unittest

from harness import MockCase, EXAMPLE_APPID, EXAMPLE_APP_KEY, Mock, main, md5

OTHER_APPID = "7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b"
OTHER_KEY = "Qm9sdC1Nb2NrLUtleS0yMDI2"


def token_path(appid=EXAMPLE_APPID, key=EXAMPLE_APP_KEY):
    t = str(int(time.time()))
    return "/api/get_token?appid=%s&create_time=%s&sign=%s" % (appid, t, md5(appid, t, key))


def raw_get(port, path, headers=None, timeout=10):
    """One GET over a plain socket. Returns (bytes, [arrival times of each piece], start)."""
    lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % kv for kv in (headers or {}).items()]
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    start = time.monotonic()
    pieces, times = [], []
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while True:
            data = sock.recv(65536)
            if not data:
                break
            pieces.append(data)
            times.append(time.monotonic())
    finally:
        sock.close()
    return b"".join(pieces), times, start


def split_http(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode()] = v.strip().decode()
    return status, headers, body


class FaultsOverSockets(MockCase):

    def setUp(self):
        self.mock.admin("DELETE", "faults")

    def add(self, rule):
        status, body = self.mock.admin("POST", "faults", rule)
        self.assertEqual(status, 201, body)
        return body

    def test_documented_shape_answers_201_with_id_and_fires_once(self):
        rule = {"match": {"path": "/api/get_token", "appid": "1"},
                "action": {"type": "error", "code": "900002"}, "probability": 1, "skip": 0, "times": 1}
        body = self.add(rule)
        self.assertIsInstance(body["id"], int)
        self.assertEqual(body["action"], {"type": "error", "code": "900002"})
        r = self.mock.get(token_path())
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"ret_code": "900002", "ret_msg": "token已失效，请重新获取"})
        self.assertEqual(self.mock.get(token_path()).json["ret_code"], "000000")
        listed = self.mock.admin("GET", "faults")[1]["faults"]
        self.assertEqual([(f["id"], f["matched"], f["fired"]) for f in listed], [(body["id"], 2, 1)])

    def test_error_with_own_message(self):
        self.add({"action": {"type": "error", "code": "999999", "message": "boom"}})
        self.assertEqual(self.mock.get(token_path()).json, {"ret_code": "999999", "ret_msg": "boom"})

    def test_http_status_with_body(self):
        self.add({"action": {"type": "http", "status": 503, "body": "upstream down"}})
        raw, _, _ = raw_get(self.mock.port, token_path())
        status, headers, body = split_http(raw)
        self.assertEqual(status, 503)
        self.assertEqual(body, b"upstream down")

    def test_http_json_body(self):
        self.add({"action": {"type": "http", "status": 502, "body": {"oops": 1}}})
        r = self.mock.get(token_path())
        self.assertEqual((r.status, r.json), (502, {"oops": 1}))
        self.assertTrue(r.header("Content-Type").startswith("application/json"))

    def test_fixed_delay_then_normal_reply(self):
        self.add({"action": {"type": "delay", "ms": 400}})
        raw, times, start = raw_get(self.mock.port, token_path())
        self.assertGreaterEqual(times[0] - start, 0.38)
        self.assertEqual(json.loads(split_http(raw)[2])["ret_code"], "000000")

    def test_uniform_and_lognormal_delays_stay_in_bounds(self):
        rule = self.add({"action": {"type": "delay", "distribution": "uniform", "min_ms": 100, "max_ms": 200}})
        for _ in range(3):
            _, times, start = raw_get(self.mock.port, token_path())
            self.assertGreaterEqual(times[0] - start, 0.095)
            self.assertLess(times[0] - start, 1.5)
        self.mock.admin("DELETE", "faults/%d" % rule["id"])
        self.add({"action": {"type": "delay", "distribution": "lognormal", "median_ms": 50, "sigma": 3,
                             "cap_ms": 250}})
        for _ in range(5):
            _, times, start = raw_get(self.mock.port, token_path())
            self.assertLess(times[0] - start, 1.5)  # the cap holds even at sigma 3

    def test_reset_really_resets(self):
        self.add({"action": {"type": "reset"}})
        with self.assertRaises(ConnectionResetError):
            raw_get(self.mock.port, token_path())

    def test_empty_really_closes_without_a_byte(self):
        self.add({"action": {"type": "empty"}})
        raw, times, _ = raw_get(self.mock.port, token_path())
        self.assertEqual(raw, b"")

    def test_malformed_cut_is_valid_http_with_truncated_json(self):
        self.add({"action": {"type": "malformed"}})
        raw, _, _ = raw_get(self.mock.port, token_path())
        status, headers, body = split_http(raw)
        self.assertEqual(status, 200)
        self.assertEqual(int(headers["content-length"]), len(body))
        self.assertTrue(body.startswith(b'{"item":'))
        with self.assertRaises(ValueError):
            json.loads(body)

    def test_malformed_corrupt(self):
        self.add({"action": {"type": "malformed", "mode": "corrupt"}})
        r = self.mock.get(token_path())
        self.assertEqual(r.status, 200)
        self.assertIn(b"ret_code", r.body)
        with self.assertRaises(ValueError):
            json.loads(r.body.decode("utf-8", "replace"))

    def test_dribble_really_takes_the_time_in_pieces(self):
        self.add({"action": {"type": "dribble", "chunks": 4, "total_ms": 800}})
        raw, times, start = raw_get(self.mock.port, token_path())
        self.assertGreaterEqual(times[-1] - start, 0.55)
        self.assertGreaterEqual(len(times), 3)  # the body came in several reads, spread in time
        self.assertGreater(times[-1] - times[0], 0.3)
        _, headers, body = split_http(raw)
        self.assertEqual(json.loads(body)["ret_code"], "000000")

    def test_header_fault_one_off(self):
        r = self.mock.get(token_path(), headers={"X-Sobot-Mock-Fault": "type=error;code=900002"})
        self.assertEqual(r.json["ret_code"], "900002")
        self.assertEqual(self.mock.get(token_path()).json["ret_code"], "000000")
        start = time.monotonic()
        r = self.mock.get(token_path(), headers={"X-Sobot-Mock-Fault": "type=delay;ms=300"})
        self.assertGreaterEqual(time.monotonic() - start, 0.28)
        self.assertEqual(r.json["ret_code"], "000000")

    def test_broken_header_fault_is_ignored_with_a_diagnostic(self):
        r = self.mock.get(token_path(), headers={"X-Sobot-Mock-Fault": "type=teleport"})
        self.assertEqual(r.json["ret_code"], "000000")
        self.assertIn("X-Sobot-Mock-Fault ignored", r.diagnostic)

    def test_isolation_between_two_appids(self):
        self.add({"match": {"appid": OTHER_APPID}, "action": {"type": "error", "code": "999999"}})
        for _ in range(3):
            self.assertEqual(self.mock.get(token_path()).json["ret_code"], "000000")
            self.assertEqual(self.mock.get(token_path(OTHER_APPID, OTHER_KEY)).json["ret_code"], "999999")

    def test_match_on_route_method_and_header(self):
        self.add({"match": {"route": "get_token", "method": "GET", "header": {"name": "X-Test", "value": "a"}},
                  "action": {"type": "error", "code": "900003"}})
        self.assertEqual(self.mock.get(token_path(), headers={"X-Test": "a"}).json["ret_code"], "900003")
        self.assertEqual(self.mock.get(token_path(), headers={"X-Test": "b"}).json["ret_code"], "000000")
        self.assertEqual(self.mock.get(token_path()).json["ret_code"], "000000")

    def test_skip_and_times(self):
        self.add({"action": {"type": "error", "code": "999999"}, "skip": 1, "times": 2})
        codes = [self.mock.get(token_path()).json["ret_code"] for _ in range(5)]
        self.assertEqual(codes, ["000000", "999999", "999999", "000000", "000000"])

    def test_faults_never_touch_the_control_plane(self):
        self.add({"match": {"path": "/__admin/*"}, "action": {"type": "reset"}})
        self.add({"action": {"type": "reset"}})
        status, _ = self.mock.admin("GET", "health")
        self.assertEqual(status, 200)

    def test_injected_fault_is_journaled_and_counted(self):
        self.mock.admin("DELETE", "requests")
        self.add({"action": {"type": "error", "code": "900002"}, "times": 1})
        self.mock.get(token_path())
        entry = self.mock.admin("GET", "requests")[1]["requests"][-1]
        self.assertRegex(entry["fault"], r"^rule \d+: error 900002$")
        self.assertEqual(entry["code"], "900002")
        metrics = self.mock.get("/__admin/metrics").text
        self.assertRegex(metrics, r'sobot_mock_faults_injected_total\{type="error"\} [1-9]')

    def test_delete_one_and_all(self):
        a = self.add({"action": {"type": "empty"}})
        b = self.add({"action": {"type": "reset"}})
        self.assertEqual(self.mock.admin("DELETE", "faults/%d" % a["id"])[0], 200)
        self.assertEqual(self.mock.admin("DELETE", "faults/%d" % a["id"])[0], 404)
        self.assertEqual([f["id"] for f in self.mock.admin("GET", "faults")[1]["faults"]], [b["id"]])
        self.assertEqual(self.mock.admin("DELETE", "faults")[1], {"deleted": 1})
        self.assertEqual(self.mock.admin("GET", "faults")[1], {"faults": []})

    def test_bad_rules_are_400_and_change_nothing(self):
        bad = [
            b'{"action":',  # malformed JSON
            {"action": {"type": "error", "code": "1"}, "probabilty": 1},  # unknown field
            {"action": {"type": "teleport"}},
            {"action": {"type": "delay"}},
            {"action": {"type": "delay", "ms": 10, "chunks": 3}},  # field of another type
            {"action": {"type": "error"}},
            {"action": {"type": "http", "status": 999}},
            {"match": {"route": "no_such_route"}, "action": {"type": "reset"}},
            {"match": {"colour": "red"}, "action": {"type": "reset"}},
            {"action": {"type": "reset"}, "probability": 2},
            {"match": {"path": "/api/get_token"}},
        ]
        for body in bad:
            if isinstance(body, bytes):
                r = self.mock.request("POST", "/__admin/faults", body=body,
                                      headers={"Content-Type": "application/json"})
            else:
                r = self.mock.post_json("/__admin/faults", body)
            self.assertEqual(r.status, 400, body)
            self.assertIn("error", r.json)
        self.assertEqual(self.mock.admin("GET", "faults")[1], {"faults": []})


class TokenFaults(unittest.TestCase):
    """expire_token / replace_token act on the caller's token before the check."""

    def token_route(self, mock):
        routes = mock.admin("GET", "routes")[1]["routes"]
        return next((r for r in routes if r["auth"] == "token" and not r["admin"]), None)

    def live_tokens(self, mock):
        apps = mock.admin("GET", "tokens")[1]["apps"]
        return [t["token"] for t in apps.get(EXAMPLE_APPID, [])]

    def test_expire_and_replace_the_callers_token(self):
        with Mock() as m:
            for kind in ("expire_token", "replace_token"):
                token = m.token()
                self.assertEqual(self.live_tokens(m), [token[:6] + "..."])
                r = m.get(token_path(), headers={"token": token, "X-Sobot-Mock-Fault": "type=" + kind})
                entry = m.admin("GET", "requests?limit=1")[1]["requests"][-1]
                self.assertEqual(entry["fault"], "header: " + kind)
                self.assertEqual(entry["headers"]["token"], token[:6] + "...")  # masked
                route = self.token_route(m)
                if route:  # a token-checked vendor route answers 900002 right after
                    token = m.token()
                    r = m.request(route["method"], route["path"],
                                  headers={"token": token, "X-Sobot-Mock-Fault": "type=" + kind})
                    self.assertIn('"900002"', r.text)

    def test_expire_token_takes_the_token_out_of_the_live_list(self):
        with Mock() as m:
            token = m.token()
            m.get("/api/get_token", headers={"token": token, "X-Sobot-Mock-Fault": "type=expire_token"})
            # get_token itself issued a new one after the fault ran; the old one is gone
            self.assertNotIn(token[:6] + "...", self.live_tokens(m))


class SeededReplay(unittest.TestCase):
    RULE = {"action": {"type": "error", "code": "999999"}, "probability": 0.5}

    def pattern(self, seed):
        with Mock("--seed", str(seed)) as m:
            m.admin("POST", "faults", self.RULE)
            return "".join("x" if m.get(token_path()).json["ret_code"] == "999999" else "."
                           for _ in range(40))

    def test_same_seed_same_faults(self):
        first = self.pattern(7)
        self.assertEqual(first, self.pattern(7))
        self.assertIn("x", first)
        self.assertIn(".", first)
        self.assertNotEqual(first, self.pattern(8))


class StartupAndFlags(unittest.TestCase):
    def test_faults_file_loaded_at_start(self):
        path = os.path.join(tempfile.mkdtemp(), "faults.json")
        with open(path, "w") as f:
            json.dump({"faults": [{"match": {"appid": "1"}, "action": {"type": "error", "code": "200007"}}]}, f)
        with Mock("--faults", path) as m:
            self.assertEqual(len(m.admin("GET", "faults")[1]["faults"]), 1)
            self.assertEqual(m.get(token_path()).json["ret_code"], "200007")

    def test_bad_faults_file_stops_the_start(self):
        path = os.path.join(tempfile.mkdtemp(), "faults.json")
        with open(path, "w") as f:
            json.dump([{"action": {"type": "nope"}}], f)
        with self.assertRaises(RuntimeError) as ctx:
            Mock("--faults", path).start()
        self.assertIn("rule 1", str(ctx.exception))

    def test_no_header_faults(self):
        with Mock("--no-header-faults") as m:
            r = m.get(token_path(), headers={"X-Sobot-Mock-Fault": "type=error;code=900002"})
            self.assertEqual(r.json["ret_code"], "000000")

    def test_concurrent_requests_with_rules_stay_consistent(self):
        with Mock() as m:
            m.admin("POST", "faults", {"action": {"type": "error", "code": "999999"}, "times": 25})
            codes = []
            lock = threading.Lock()

            def client():
                for _ in range(20):
                    c = m.get(token_path()).json["ret_code"]
                    with lock:
                        codes.append(c)

            threads = [threading.Thread(target=client) for _ in range(5)]
            [t.start() for t in threads]
            [t.join() for t in threads]
            self.assertEqual(codes.count("999999"), 25)
            self.assertEqual(m.admin("GET", "faults")[1]["faults"][0]["fired"], 25)


if __name__ == "__main__":
    main()
