"""Metrics as Prometheus text, reset scopes, tokens admin, --admin-token."""
import json
import os
import re
import tempfile
import time
import unittest

from harness import EXAMPLE_APPID, EXAMPLE_APP_KEY, Mock, main, md5

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
                    r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')


def parse_prometheus(text):
    """A strict reader of the text format: every line a comment or a sample, every
    sample's family declared by # TYPE before it. Returns {(name, labels): value}."""
    typed = {}
    samples = {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            typed[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        m = SAMPLE.match(line)
        assert m, "not a Prometheus sample: %r" % line
        name = m.group(1)
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in typed else name
        assert family in typed, "sample before its # TYPE: %r" % line
        labels = tuple(sorted(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or "")))
        samples[(name, labels)] = float(m.group(4))
    return samples


def token_path():
    t = str(int(time.time()))
    return "/api/get_token?appid=1&create_time=%s&sign=%s" % (t, md5(EXAMPLE_APPID, t, EXAMPLE_APP_KEY))


class Metrics(unittest.TestCase):
    def test_metrics_parse_and_count(self):
        with Mock() as m:
            for _ in range(3):
                m.token()
            m.get("/api/get_token", appid="1", create_time="1", sign="x")
            m.get("/nowhere")
            m.get(token_path(), headers={"X-Sobot-Mock-Fault": "type=error;code=200007"})
            r = m.get("/__admin/metrics")
            self.assertEqual(r.status, 200)
            self.assertTrue(r.header("Content-Type").startswith("text/plain; version=0.0.4"))
            s = parse_prometheus(r.text)
            self.assertEqual(s[("sobot_mock_requests_total", (("route", "get_token"), ("status", "200")))], 5)
            self.assertEqual(s[("sobot_mock_requests_total", (("route", "(unmatched)"), ("status", "404")))], 1)
            self.assertEqual(s[("sobot_mock_vendor_codes_total", (("code", "000000"),))], 3)
            self.assertEqual(s[("sobot_mock_vendor_codes_total", (("code", "900003"),))], 1)
            self.assertEqual(s[("sobot_mock_vendor_codes_total", (("code", "200007"),))], 1)
            self.assertEqual(s[("sobot_mock_faults_injected_total", (("type", "error"),))], 1)
            self.assertEqual(s[("sobot_mock_tokens_live", ())], 1)  # each fetch replaced the previous one
            route = (("le", "+Inf"), ("route", "get_token"))
            self.assertEqual(s[("sobot_mock_request_duration_seconds_bucket", route)], 5)
            self.assertEqual(s[("sobot_mock_request_duration_seconds_count", (("route", "get_token"),))], 5)
            buckets = sorted((float(dict(k[1])["le"]), v) for k, v in s.items()
                             if k[0] == "sobot_mock_request_duration_seconds_bucket"
                             and dict(k[1])["route"] == "get_token" and dict(k[1])["le"] != "+Inf")
            values = [v for _, v in buckets]
            self.assertEqual(values, sorted(values))  # cumulative

    def test_a_quote_in_a_fault_code_cannot_break_the_format(self):
        with Mock() as m:
            m.get(token_path(), headers={"X-Sobot-Mock-Fault": 'type=error;code=9"9'})
            parse_prometheus(m.get("/__admin/metrics").text)


class ResetScopes(unittest.TestCase):
    def test_each_scope_resets_its_part_only(self):
        with Mock() as m:
            def state():
                return {
                    "tokens": len(m.admin("GET", "tokens")[1]["apps"]),
                    "journal": m.admin("GET", "requests/count")[1]["count"],
                    "faults": len(m.admin("GET", "faults")[1]["faults"]),
                    "clock": m.admin("GET", "clock")[1]["offset_ms"] != 0,
                    "coverage": m.admin("GET", "coverage")[1]["endpoints"][0]["calls"],
                }

            def dirty():
                m.token()
                m.admin("POST", "faults", {"match": {"appid": "nobody"}, "action": {"type": "reset"}})
                m.admin("POST", "clock", {"advance": 3600})

            dirty()
            full = state()
            self.assertTrue(all(full.values()), full)
            expect = {
                "state": {"tokens"},
                "journal": {"journal", "coverage"},
                "faults": {"faults"},
                "clock": {"clock"},
            }
            for scope, cleared in expect.items():
                m.admin("POST", "reset", {"scope": "all"})
                dirty()
                self.assertEqual(m.admin("POST", "reset", {"scope": scope}), (200, {"reset": scope}))
                after = state()
                self.assertEqual({k for k, v in after.items() if not v}, cleared, scope)
            self.assertEqual(m.admin("POST", "reset", {"scope": "all"}), (200, {"reset": "all"}))
            self.assertFalse(any(state().values()))

    def test_bad_scope_is_400(self):
        with Mock() as m:
            self.assertEqual(m.admin("POST", "reset", {"scope": "everything"})[0], 400)
            self.assertEqual(m.admin("POST", "reset", {"scope": "all", "extra": 1})[0], 400)

    def test_a_reset_that_cannot_reload_the_fixtures_changes_nothing(self):
        # The fixtures file is read again at each reset; broken since the
        # start, it must not leave the mock with no apps at all.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "fixtures.json")
            with open(path, "w") as f:
                json.dump({"apps": [{"appid": EXAMPLE_APPID, "app_key": EXAMPLE_APP_KEY}]}, f)
            with Mock("--fixtures", path) as m:
                token = m.token()
                with open(path, "w") as f:
                    json.dump({"apps": [{"appid": "2", "app_key": "k"}, {"appid": ""}]}, f)
                status, reply = m.admin("POST", "reset", {"scope": "state"})
                self.assertEqual(status, 500)
                self.assertIn("apps[1]", reply["error"])
                self.assertEqual([t["token"] for t in m.admin("GET", "tokens")[1]["apps"]["1"]], [token[:6] + "..."])
                self.assertEqual(m.get(token_path()).json["ret_code"], "000000")


class TokensAdmin(unittest.TestCase):
    def listed(self, m, appid):
        return [t["token"] for t in m.admin("GET", "tokens")[1]["apps"].get(appid, [])]

    def test_expire_and_revoke(self):
        with Mock() as m:
            token = m.token()
            self.assertEqual(self.listed(m, "1"), [token[:6] + "..."])
            self.assertEqual(m.admin("POST", "tokens/expire", {"token": token}), (200, {"expired": 1}))
            self.assertEqual(self.listed(m, "1"), [])
            self.assertEqual(m.admin("POST", "tokens/expire", {"token": token}), (200, {"expired": 0}))
            m.token()
            self.assertEqual(m.admin("POST", "tokens/expire", {"appid": "1"}), (200, {"expired": 1}))
            token = m.token()
            self.assertEqual(m.admin("POST", "tokens/revoke", {"token": token}), (200, {"revoked": 1}))
            self.assertEqual(self.listed(m, "1"), [])
            m.token()
            self.assertGreaterEqual(m.admin("POST", "tokens/revoke", {"appid": "1"})[1]["revoked"], 1)
            self.assertEqual(self.listed(m, "1"), [])

    def test_bad_bodies_are_400(self):
        with Mock() as m:
            for body in ({}, {"token": "a", "appid": "1"}, {"appid": 1}, {"appid": "1", "x": 1}):
                status, reply = m.admin("POST", "tokens/expire", body)
                self.assertEqual(status, 400, body)
            r = m.request("POST", "/__admin/tokens/revoke", body=b'{"token":', headers={"Content-Type": "application/json"})
            self.assertEqual(r.status, 400)


class AdminToken(unittest.TestCase):
    def test_admin_token_guards_the_control_plane_only(self):
        with Mock("--admin-token", "s3cret") as m:
            self.assertEqual(m.request("GET", "/__admin/faults").status, 401)
            self.assertEqual(m.request("POST", "/__admin/faults", body={"action": {"type": "reset"}}).status, 401)
            self.assertEqual(m.request("GET", "/__admin/faults", headers={"X-Sobot-Mock-Admin-Token": "s3cret"}).json,
                             {"faults": []})
            self.assertEqual(m.get(token_path()).json["ret_code"], "000000")


if __name__ == "__main__":
    main()
