"""Contract coverage after a scripted bad client, and --strict."""
import time
import unittest

from harness import EXAMPLE_APPID, EXAMPLE_APP_KEY, Mock, main, md5


def signed(create_time, appid=EXAMPLE_APPID, key=EXAMPLE_APP_KEY):
    return {"appid": appid, "create_time": create_time, "sign": md5(appid, create_time, key)}


def endpoint(report, name):
    return next(e for e in report["endpoints"] if e["name"] == name)


def kinds(entry):
    """Violations by kind, and by (kind, param) for those about a parameter."""
    out = {}
    for v in entry["violations"]:
        out[v["kind"]] = v
        out[(v["kind"], v["param"])] = v
    return out


class BadClient(unittest.TestCase):
    def test_report_after_a_scripted_bad_client(self):
        with Mock() as m:
            before = m.admin("GET", "coverage")[1]
            self.assertFalse(endpoint(before, "get_token")["called"])
            self.assertNotIn("admin.health", [e["name"] for e in before["endpoints"]])
            now_ms = str(int(time.time() * 1000))
            m.get("/api/get_token", **signed(now_ms))                     # milliseconds for seconds
            m.get("/api/get_token", appid="1", create_time="1569397773")  # no sign
            m.get("/api/get_token", **signed("soon"))                     # not a number
            m.request("POST", "/api/get_token", body="appid=1", headers={})  # wrong method, no content type
            m.token()                                                     # fine
            m.token()                                                     # again, token still valid, unused
            report = m.admin("GET", "coverage")[1]
            gt = endpoint(report, "get_token")
            self.assertTrue(gt["called"])
            self.assertEqual(gt["calls"], 6)
            self.assertEqual({p["name"]: p["sent"] for p in gt["params"]},
                             {"appid": True, "create_time": True, "sign": True})
            self.assertEqual({p["name"]: p["type"] for p in gt["params"]}["create_time"], "timestamp_s")
            v = kinds(gt)
            self.assertEqual(v["ms_for_seconds"]["param"], "create_time")
            self.assertIn(now_ms, v["ms_for_seconds"]["example"])
            self.assertEqual(v[("missing_required", "sign")]["count"], 2)  # the POST sent no sign either
            self.assertEqual(v[("missing_required", "create_time")]["count"], 1)
            self.assertEqual(v["wrong_type"]["param"], "create_time")
            self.assertEqual(v["wrong_method"]["count"], 1)
            self.assertEqual(v["wrong_content_type"]["count"], 1)
            # the first call (ms, but accepted) issued a token: both later fetches replaced a live one
            self.assertEqual(v["token_refetched_while_valid"]["count"], 2)
            self.assertIn("served 0 call", v["token_per_request"]["example"])
            self.assertGreaterEqual(report["summary"]["violations"], 8)

    def test_a_good_client_has_no_violations_and_reset_clears(self):
        with Mock() as m:
            m.token()
            gt = endpoint(m.admin("GET", "coverage")[1], "get_token")
            self.assertEqual((gt["calls"], gt["violations"]), (1, []))
            m.get("/api/get_token", appid="1")
            self.assertNotEqual(endpoint(m.admin("GET", "coverage")[1], "get_token")["violations"], [])
            self.assertEqual(m.admin("DELETE", "coverage"), (200, {"cleared": True}))
            gt = endpoint(m.admin("GET", "coverage")[1], "get_token")
            self.assertEqual((gt["calls"], gt["called"], gt["violations"]), (0, False, []))

    def test_every_vendor_route_of_the_table_is_listed(self):
        with Mock() as m:
            routes = [r for r in m.admin("GET", "routes")[1]["routes"] if not r["admin"]]
            names = [e["name"] for e in m.admin("GET", "coverage")[1]["endpoints"]]
            self.assertEqual(names, [r["name"] for r in routes])


class Strict(unittest.TestCase):
    def test_strict_turns_warnings_into_vendor_errors(self):
        with Mock("--strict") as m:
            r = m.get("/api/get_token", **signed(str(int(time.time() * 1000))))
            self.assertEqual(r.json, {"ret_code": "999999", "ret_msg": "系统未知异常"})
            self.assertIn("--strict", r.diagnostic)
            self.assertIn("milliseconds", r.diagnostic)
            r = m.get("/api/get_token", appid="1", create_time="1569397773")
            self.assertEqual(r.json["ret_code"], "999999")
            self.assertIn("sign", r.diagnostic)
            r = m.request("POST", "/api/get_token?appid=1")
            self.assertEqual(r.status, 405)
            self.assertEqual(m.token()[:0], "")  # a correct call still works
            v = kinds(endpoint(m.admin("GET", "coverage")[1], "get_token"))
            self.assertIn("wrong_method", v)

    def test_without_strict_the_same_calls_get_the_vendors_answer(self):
        with Mock() as m:
            r = m.get("/api/get_token", **signed(str(int(time.time() * 1000))))
            self.assertEqual(r.json["ret_code"], "000000")


if __name__ == "__main__":
    main()
