"""get_token and the shared token rules, end to end over HTTP."""
import os
import re
import tempfile
import unittest

from harness import (MockCase, EXAMPLE_APPID, EXAMPLE_APP_KEY, EXAMPLE_CREATE_TIME, EXAMPLE_SIGN, Mock,
                     main, md5)


class DocumentedExample(MockCase):

    def test_documented_curl_example_verbatim(self):
        r = self.mock.get("/api/get_token?appid=1&create_time=1569397773"
                          "&sign=258eec3118705112b2c53dc8043d4d34")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/json"))
        body = r.json
        self.assertEqual(list(body.keys()), ["item", "ret_code", "ret_msg"])
        self.assertEqual(body["ret_code"], "000000")
        self.assertEqual(body["ret_msg"], "Success")
        self.assertRegex(body["item"]["token"], r"^[0-9a-f]{32}$")
        self.assertEqual(body["item"]["expires_in"], "86400")  # a string, as documented
        self.assertIsInstance(body["item"]["expires_in"], str)

    def test_upper_case_sign_accepted(self):
        r = self.mock.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME,
                          sign=EXAMPLE_SIGN.upper())
        self.assertEqual(r.json["ret_code"], "000000")

    def test_parameter_order_does_not_matter(self):
        r = self.mock.get("/api/get_token?sign=%s&appid=1&create_time=%s" % (EXAMPLE_SIGN, EXAMPLE_CREATE_TIME))
        self.assertEqual(r.json["ret_code"], "000000")

    def test_double_slash_path_is_the_same_path(self):
        r = self.mock.get("//api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
        self.assertEqual(r.json["ret_code"], "000000")
        r = self.mock.get("/api//get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
        self.assertEqual(r.json["ret_code"], "000000")

    def test_json_content_type_on_get_is_tolerated(self):
        r = self.mock.request("GET", "/api/get_token?appid=1&create_time=%s&sign=%s" % (EXAMPLE_CREATE_TIME, EXAMPLE_SIGN),
                              headers={"Content-Type": "application/json"})
        self.assertEqual(r.json["ret_code"], "000000")

    def test_each_call_returns_a_new_token(self):
        tokens = {self.mock.token() for _ in range(5)}
        self.assertEqual(len(tokens), 5)

    def test_unknown_appid_is_900004_without_item(self):
        r = self.mock.get("/api/get_token", appid="nope", create_time="1569397773", sign=md5("nope", "1569397773", "2"))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"ret_code": "900004", "ret_msg": "没有找到公司的api配置信息!"})
        self.assertIn("nope", r.diagnostic)

    def test_bad_sign_is_900003_with_masked_diagnostic(self):
        r = self.mock.get("/api/get_token", appid="7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b", create_time="1700000000",
                          sign="0" * 32)
        self.assertEqual(r.json, {"ret_code": "900003", "ret_msg": "signature错误"})
        diag = r.diagnostic
        self.assertIn("md5(appid + create_time + app_key)", diag)
        expected = md5("7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b", "1700000000", "Qm9sdC1Nb2NrLUtleS0yMDI2")
        self.assertIn(expected, diag)
        self.assertNotIn("Qm9sdC1Nb2NrLUtleS0yMDI2", diag)  # the key is masked
        self.assertIn("Qm******", diag)

    def test_missing_parameters(self):
        r = self.mock.get("/api/get_token")
        self.assertEqual(r.json["ret_code"], "900004")
        self.assertIn("appid", r.diagnostic)
        r = self.mock.get("/api/get_token", appid="1", sign=EXAMPLE_SIGN)
        self.assertEqual(r.json["ret_code"], "900003")
        self.assertIn("create_time", r.diagnostic)
        r = self.mock.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME)
        self.assertEqual(r.json["ret_code"], "900003")
        self.assertIn("(missing)", r.diagnostic)

    def test_malformed_create_time(self):
        r = self.mock.get("/api/get_token", appid="1", create_time="2019-09-25", sign=md5("1", "2019-09-25", "2"))
        self.assertEqual(r.json["ret_code"], "900003")
        self.assertIn("seconds", r.diagnostic)

    def test_no_freshness_window_on_create_time(self):
        # The live service accepts any create_time; so does the mock.
        r = self.mock.get("/api/get_token", appid="1", create_time="1", sign=md5("1", "1", "2"))
        self.assertEqual(r.json["ret_code"], "000000")

    def test_english_messages(self):
        r = self.mock.get("/api/get_token", headers={"language": "en"}, appid="nope",
                          create_time="1", sign="x")
        self.assertEqual(r.json["ret_code"], "900004")
        self.assertEqual(r.json["ret_msg"], "no API configuration found for the company!")
        r = self.mock.get("/api/get_token", headers={"language": "en"}, appid="1", create_time="1", sign="x")
        self.assertEqual(r.json["ret_msg"], "signature error")

    def test_unknown_path_names_the_nearest_route(self):
        r = self.mock.get("/api/get_tokn")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json["nearest"]["path"], "/api/get_token")
        self.assertIn("/api/get_token", r.diagnostic)

    def test_post_is_answered_but_flagged(self):
        r = self.mock.post_form("/api/get_token", {"appid": "1", "create_time": EXAMPLE_CREATE_TIME, "sign": EXAMPLE_SIGN})
        self.assertEqual(r.json["ret_code"], "000000")
        self.assertIn("documented as GET", r.diagnostic)

    def test_a_refused_token_keeps_the_earlier_diagnostics(self):
        # The token check's reason joins what dispatch already noted (the
        # wrong method, an unreadable fault header) instead of replacing it.
        r = self.mock.get("/api/public/sso/5/login_url",
                          headers={"token": "0" * 32, "X-Sobot-Mock-Fault": "type=nope"})
        self.assertEqual(r.json["ret_code"], "900002")
        self.assertIn("documented as POST", r.diagnostic)
        self.assertIn("X-Sobot-Mock-Fault ignored", r.diagnostic)
        self.assertIn("token unknown", r.diagnostic)

    def test_admin_tokens_lists_live_tokens_masked(self):
        token = self.mock.token()
        status, body = self.mock.admin("GET", "tokens")
        self.assertEqual(status, 200)
        listed = [t["token"] for t in body["apps"]["1"]]
        self.assertIn(token[:6] + "...", listed)
        self.assertNotIn(token, str(body))

    def test_admin_routes_lists_the_table(self):
        status, body = self.mock.admin("GET", "routes")
        self.assertEqual(status, 200)
        row = [r for r in body["routes"] if r["name"] == "get_token"][0]
        self.assertEqual((row["method"], row["path"], row["auth"]), ("GET", "/api/get_token", "none"))


class Strict(unittest.TestCase):
    def test_strict_rejects_the_wrong_method(self):
        with Mock("--strict") as m:
            r = m.post_form("/api/get_token", {"appid": "1", "create_time": EXAMPLE_CREATE_TIME, "sign": EXAMPLE_SIGN})
            self.assertEqual(r.status, 405)
            self.assertEqual(r.header("Allow"), "GET")


class TokenLife(unittest.TestCase):
    def test_token_life_flag_and_clock(self):
        with Mock("--token-life", "60") as m:
            r = m.get("/api/get_token", appid="1", create_time=EXAMPLE_CREATE_TIME, sign=EXAMPLE_SIGN)
            self.assertEqual(r.json["item"]["expires_in"], "60")
            status, body = m.admin("POST", "clock", {"advance": 61})
            self.assertEqual(status, 200)
            status, body = m.admin("GET", "tokens")
            self.assertEqual(body["apps"], {})

    def test_reset_forgets_tokens(self):
        with Mock() as m:
            m.token()
            self.assertEqual(m.admin("POST", "reset")[0], 200)
            self.assertEqual(m.admin("GET", "tokens")[1]["apps"], {})


class Persistence(unittest.TestCase):
    def test_token_survives_kill_9_with_db(self):
        db = os.path.join(tempfile.mkdtemp(), "state.db")
        m = Mock(db=db).start()
        token = m.token()
        m.kill9()
        with Mock(db=db) as again:
            status, body = again.admin("GET", "tokens")
            self.assertIn(token[:6] + "...", [t["token"] for t in body["apps"]["1"]])

    def test_in_memory_default_leaves_nothing_on_disk(self):
        cwd = tempfile.mkdtemp()
        m = Mock(cwd=cwd)
        m.start()
        m.token()
        m.stop()
        self.assertEqual(os.listdir(cwd), [])


if __name__ == "__main__":
    main()
