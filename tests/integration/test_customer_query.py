"""The internal customer-query API of API Management, end to end over HTTP.

GET|POST /api/crm/5/customer/query with the `token` header; the default
fixtures' customers; answers in the v5 envelope with every field a string.
"""
import json
import os
import tempfile
import unittest

from harness import Mock, main

PATH = "/api/crm/5/customer/query"
OTHER_APPID = "7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b"
OTHER_APP_KEY = "Qm9sdC1Nb2NrLUtleS0yMDI2"

ZHANG_WEI = "c1f0a3b5d7e94c2a8b6d4f2e0a1c3b5d"  # company of app "1"
EMILY = "d2e1b4c6f8a05d3b9c7e5a3f1b2d4c6e"
SOMCHAI = "e3f2c5d7a9b16e4c0d8f6b4a2c3e5d7f"
LI_NA = "f4a3d6e8b0c27f5d1e9a7c5b3d4f6e8a"
MEI_LING = "a5b4e7f9c1d38a6e2f0b8d6c4e5a7f9b"  # the other company
OTHER_ZHANG_WEI = "b6c5f8a0d2e49b7f3a1c9e7d5f6b8a0c"  # other company, same tel as ZHANG_WEI

DOCUMENTED_FIELDS = [
    "id", "tel", "email", "partner_id", "wx_unionid", "wx_external_userid", "wx_openid",
    "faceBookid", "instagramid", "whatsappid", "lineid", "telegramid", "discordid", "visitorids",
    "nick", "uname", "sexName", "countryName", "provice_name", "city_name", "remark",
    "userStatusName", "isVip", "vipLevel", "vipLeveName", "isblack", "enterprise_name",
    "sourceName", "liableServiceName", "userLabel", "userLableName",
]


class CustomerQuery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = Mock().start()
        cls.token = cls.mock.token()
        cls.other_token = cls.mock.token(appid=OTHER_APPID, app_key=OTHER_APP_KEY)

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def query(self, token=None, **params):
        return self.mock.get(PATH, headers={"token": token or self.token}, **params)

    def item(self, token=None, **params):
        r = self.query(token=token, **params)
        self.assertEqual(r.status, 200)
        body = r.json
        self.assertEqual(body["ret_code"], "000000", body)
        self.assertEqual(body["ret_msg"], "Success")
        return body["item"]

    def test_by_id_returns_every_documented_field_as_a_string(self):
        item = self.item(id=ZHANG_WEI)
        self.assertEqual(list(item.keys())[:len(DOCUMENTED_FIELDS)], DOCUMENTED_FIELDS)
        for name, value in item.items():
            self.assertIsInstance(value, str, name)
        self.assertEqual(item["id"], ZHANG_WEI)
        self.assertEqual(item["nick"], "Zhang Wei")
        self.assertEqual(item["provice_name"], "Guangdong")  # the vendor's spelling
        self.assertEqual(item["vipLeveName"], "Gold")
        self.assertEqual(item["isVip"], "1")
        self.assertEqual(item["isblack"], "0")
        self.assertEqual(item["userStatusName"], "normal")

    def test_custom_fields_keyed_by_field_id(self):
        item = self.item(id=ZHANG_WEI)
        self.assertEqual(item["e7a1c3f5b9d24e6a8c0b2d4f6a8c0e2a"], "Enterprise plan")
        self.assertEqual(item["b3d5f7a9c1e34b5d7f9a1c3e5b7d9f1b"], "2026-06-30")
        self.assertEqual(len(item), len(DOCUMENTED_FIELDS) + 2)

    def test_absent_optional_fields_are_empty_strings(self):
        item = self.item(id=SOMCHAI)
        self.assertEqual(item["uname"], "")
        self.assertEqual(item["wx_unionid"], "")
        self.assertEqual(len(item), len(DOCUMENTED_FIELDS))

    def test_by_tel(self):
        self.assertEqual(self.item(tel="13912345678")["id"], ZHANG_WEI)
        self.assertEqual(self.item(tel="+14155550123")["id"], EMILY)

    def test_by_email_ignores_case(self):
        self.assertEqual(self.item(email="li.na@example.com")["id"], LI_NA)
        self.assertEqual(self.item(email="Li.Na@Example.COM")["id"], LI_NA)

    def test_third_account_id_matches_every_third_party_id(self):
        cases = {
            "CRM-10001": ZHANG_WEI,  # partner_id
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o": ZHANG_WEI,  # wx_unionid
            "o6_bmjrPTlm6_2sgVt7hMZOPfL2M": ZHANG_WEI,  # wx_openid
            "wmAbCdEf1234567890ghIJKLmnopQRstu": LI_NA,  # wx_external_userid
            "14155550123": EMILY,  # whatsappid
            "100064829371562": EMILY,  # faceBookid
            "emily.carter.design": EMILY,  # instagramid
            "U4af4980629c1b2d3e4f5a6b7c8d9e0f1": SOMCHAI,  # lineid
            "somchai_k": SOMCHAI,  # telegramid
            "803112358132134558": SOMCHAI,  # discordid
        }
        for third, want in cases.items():
            with self.subTest(thirdAccountId=third):
                self.assertEqual(self.item(thirdAccountId=third)["id"], want)

    def test_visitor_id_is_not_a_third_party_id(self):
        self.assertIsNone(self.item(thirdAccountId="9a8b7c6d5e4f40312a1b2c3d4e5f6a7b"))

    def test_several_parameters_must_all_match(self):
        self.assertEqual(self.item(tel="13912345678", email="zhang.wei@example.com")["id"], ZHANG_WEI)
        self.assertIsNone(self.item(tel="13912345678", email="li.na@example.com"))

    def test_no_parameter_is_null(self):
        r = self.query()
        self.assertEqual(r.json, {"item": None, "ret_code": "000000", "ret_msg": "Success"})
        self.assertIn("at least one", r.diagnostic)
        self.assertIsNone(self.item(id="", tel=""))  # empty counts as absent

    def test_unknown_customer_is_null(self):
        r = self.query(id="no-such-customer")
        self.assertEqual(r.json, {"item": None, "ret_code": "000000", "ret_msg": "Success"})
        self.assertIn("no customer", r.diagnostic)
        self.assertIsNone(self.item(email="nobody@example.com"))
        self.assertIsNone(self.item(thirdAccountId="nobody"))

    def test_scoped_to_the_callers_company(self):
        self.assertIsNone(self.item(id=MEI_LING))
        self.assertEqual(self.item(token=self.other_token, id=MEI_LING)["nick"], "Tan Mei Ling")
        self.assertIsNone(self.item(token=self.other_token, id=ZHANG_WEI))
        # The same phone number in two companies: each caller sees its own.
        self.assertEqual(self.item(tel="13912345678")["id"], ZHANG_WEI)
        self.assertEqual(self.item(token=self.other_token, tel="13912345678")["id"], OTHER_ZHANG_WEI)

    def test_post_json_and_form(self):
        r = self.mock.post_json(PATH, {"tel": "13700001111"}, headers={"token": self.token})
        self.assertEqual(r.json["item"]["id"], LI_NA)
        self.assertEqual(r.diagnostic, "")
        r = self.mock.post_form(PATH, {"thirdAccountId": "somchai_k"}, headers={"token": self.token})
        self.assertEqual(r.json["item"]["id"], SOMCHAI)

    def test_missing_token_is_900001(self):
        r = self.mock.get(PATH, id=ZHANG_WEI)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"ret_code": "900001", "ret_msg": "token为空"})
        self.assertIn("token", r.diagnostic)

    def test_unknown_token_is_900002(self):
        r = self.query(token="0" * 32, id=ZHANG_WEI)
        self.assertEqual(r.json, {"ret_code": "900002", "ret_msg": "token已失效，请重新获取"})
        self.assertNotEqual(r.diagnostic, "")

    def test_replaced_token_is_900002(self):
        with Mock() as m:
            old = m.token()
            m.token()
            r = m.get(PATH, headers={"token": old}, id=ZHANG_WEI)
            self.assertEqual(r.json["ret_code"], "900002")

    def test_listed_in_the_route_table(self):
        status, body = self.mock.admin("GET", "routes")
        rows = [r for r in body["routes"] if r["path"] == PATH]
        self.assertEqual(sorted(r["method"] for r in rows), ["GET", "POST"])
        self.assertTrue(all(r["auth"] == "token" for r in rows))


class CustomerFixtures(unittest.TestCase):
    def write(self, obj):
        path = os.path.join(tempfile.mkdtemp(), "fixtures.json")
        with open(path, "w") as f:
            json.dump(obj, f)
        return path

    APPS = [{"appid": "1", "app_key": "2", "company_id": "acme"}]

    def test_own_fixtures_numbers_become_strings(self):
        path = self.write({"apps": self.APPS, "customers": [
            {"company_id": "acme", "id": "c1", "nick": "N", "tel": 13800138000, "isVip": 1,
             "isblack": "1", "custom_fields": {"f1": 42}}]})
        with Mock(fixtures=path) as m:
            r = m.get(PATH, headers={"token": m.token()}, tel="13800138000")
            item = r.json["item"]
            self.assertEqual((item["id"], item["tel"], item["isVip"]), ("c1", "13800138000", "1"))
            self.assertEqual(item["userStatusName"], "blacklist")  # follows isblack
            self.assertEqual(item["f1"], "42")

    def test_reset_keeps_the_fixture_customers(self):
        with Mock() as m:
            self.assertEqual(m.admin("POST", "reset")[0], 200)
            r = m.get(PATH, headers={"token": m.token()}, id=ZHANG_WEI)
            self.assertEqual(r.json["item"]["id"], ZHANG_WEI)

    def assert_refused(self, customers, words):
        path = self.write({"apps": self.APPS, "customers": customers})
        m = Mock(fixtures=path)
        with self.assertRaises(RuntimeError) as caught:
            m.start()
        for word in words:
            self.assertIn(word, str(caught.exception))

    def test_bad_fixtures_fail_at_start_naming_the_entry(self):
        self.assert_refused([{"company_id": "acme", "id": "c1"}, {"company_id": "acme"}],
                            ["customers[1]", "id"])
        self.assert_refused([{"company_id": "acme", "id": "c1", "province_name": "x"}],
                            ["customers[0]", "province_name"])
        self.assert_refused([{"company_id": "acme", "id": "c1"}, {"company_id": "acme", "id": "c1"}],
                            ["customers[1]", "already"])
        self.assert_refused([{"company_id": "acme", "id": "c1", "custom_fields": {"tel": "x"}}],
                            ["customers[0]", "tel"])


if __name__ == "__main__":
    main()
