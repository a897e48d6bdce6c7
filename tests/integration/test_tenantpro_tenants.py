"""tenantpro tenants: getTenantList, addTenant.json, updateTenant.json, their
signature, errors, paging and filters, and concurrent writes."""
import threading
import unittest

from harness import MockCase, Mock, main, md5
from tenantpro import (ADMIN, EXAMPLE_TENANTS, LARGE_ADMIN, LARGE_FIXTURES, LARGE_KEY,
                       LARGE_UNION, SEAT_KEY, SEAT_UNION, TENANT_KEYS, UNION, UNION_KEY,
                       expected_id, list_request, now_ms, signed)

LIST = "/tenantpro/open/getTenantList"
ADD = "/tenantpro/open/addTenant.json"
UPDATE = "/tenantpro/open/updateTenant.json"


def new_tenant(code, email, **extra):
    fields = {"companyName": "新商户" + code, "maxCount": "3", "password": "secret",
              "customerCode": code, "contactName": "张三", "contactTel": "13900000000"}
    fields.update(extra)
    return signed(fields, email)


class TenantList(MockCase):

    def test_documented_example_shape(self):
        r = self.mock.post_json(LIST, list_request())
        self.assertEqual(r.status, 200)
        body = r.json
        self.assertEqual(list(body), ["pageNo", "pageCount", "totalCount", "pageSize", "items",
                                      "item", "retCode", "retMsg"])
        self.assertEqual((body["pageNo"], body["pageCount"], body["totalCount"]), (1, 1, 3))
        self.assertIsNone(body["pageSize"])
        self.assertIsNone(body["item"])
        self.assertEqual((body["retCode"], body["retMsg"]), ("200000", "成功"))
        for item, (cid, name, app_key, open_) in zip(body["items"], EXAMPLE_TENANTS):
            self.assertEqual(list(item), TENANT_KEYS)
            self.assertEqual((item["companyId"], item["companyName"], item["appKey"]),
                             (cid, name, app_key))
            self.assertIs(item["tenantStatus"], open_)
            self.assertEqual(item["createTime"], "2018-08-29")
            self.assertEqual(item["endTime"], "2099-12-31")
            self.assertIsInstance(item["serviceNum"], int)
            self.assertIsNone(item["services"])
        self.assertIsNone(body["items"][0]["customerCode"])
        self.assertEqual(body["items"][2]["customerCode"], "7")

    def test_form_body_is_read_like_json(self):
        r = self.mock.post_form(LIST, list_request(openStatus="1"))
        self.assertEqual(r.json["totalCount"], 2)

    def test_open_status(self):
        for status, count in (("-1", 3), ("1", 2), ("0", 1)):
            self.assertEqual(self.mock.post_json(LIST, list_request(openStatus=status)).json["totalCount"], count)

    def test_bad_token_is_999998_with_diagnostic(self):
        body = list_request()
        body["token"] = "0" * 32
        r = self.mock.post_json(LIST, body)
        self.assertEqual(r.json, {"retCode": "999998", "retMsg": "请求失败!登录已失效,请重新登录!", "msg": None})
        diag = r.diagnostic
        self.assertIn("md5(unionCode + ts + email + unionKey)", diag)
        self.assertIn(md5(UNION, body["ts"], ADMIN, UNION_KEY), diag)
        self.assertNotIn(UNION_KEY, diag)

    def test_unknown_union_code(self):
        r = self.mock.post_json(LIST, list_request(union="99999"))
        self.assertEqual(r.json["retCode"], "999998")
        self.assertIn("99999", r.diagnostic)

    def test_email_must_be_the_platform_admin(self):
        r = self.mock.post_json(LIST, signed({"openStatus": "-1"}, "someone@else.example"))
        self.assertEqual(r.json["retCode"], "999998")
        self.assertIn("super-admin", r.diagnostic)

    def test_seconds_ts_is_accepted_and_noted(self):
        body = signed({"openStatus": "-1"}, ADMIN, ts="1569397773")
        r = self.mock.post_json(LIST, body)
        self.assertEqual(r.json["retCode"], "200000")
        self.assertIn("looks like seconds", r.diagnostic)

    def test_missing_open_status(self):
        body = list_request()
        del body["openStatus"]
        r = self.mock.post_json(LIST, body)
        self.assertEqual(r.json["retCode"], "999999")
        self.assertIn("openStatus", r.diagnostic)


class LargePaging(MockCase):
    @classmethod
    def new_mock(cls):
        return Mock(fixtures=LARGE_FIXTURES)

    def page(self, **fields):
        r = self.mock.post_json(LIST, list_request(LARGE_UNION, LARGE_KEY, LARGE_ADMIN, **fields))
        self.assertEqual(r.json["retCode"], "200000", r.diagnostic)
        return r.json

    def test_pages_cover_every_tenant_once(self):
        seen = []
        first = self.page(pageNo=1, pageSize=40)
        self.assertEqual((first["totalCount"], first["pageCount"], first["pageSize"]), (350, 9, 40))
        for n in range(1, 10):
            seen += [t["companyId"] for t in self.page(pageNo=n, pageSize=40)["items"]]
        self.assertEqual(len(seen), 350)
        self.assertEqual(len(set(seen)), 350)
        self.assertEqual(self.page(pageNo=10, pageSize=40)["items"], [])

    def test_default_page_is_ten(self):
        body = self.page()
        self.assertEqual(len(body["items"]), 10)
        self.assertEqual(body["pageCount"], 35)

    def test_status_and_dates(self):
        self.assertEqual(self.page(openStatus=0)["totalCount"], 70)
        self.assertEqual(self.page(openStatus=1)["totalCount"], 280)
        # createTime 2020-01-01 + i days: January 2020 holds tenants 0..30.
        body = self.page(startDate="2020-01-01", endDate="2020-01-31", pageSize=100)
        self.assertEqual(body["totalCount"], 31)
        self.assertTrue(all(t["createTime"].startswith("2020-01") for t in body["items"]))
        self.assertEqual(self.page(startDate="2020-02-01", endDate="2020-02-01")["totalCount"], 1)

    def test_input_status_searches(self):
        self.assertEqual(self.page(inputStatus=1, inputValue="Shop 1")["totalCount"], 50)  # odd 101..199
        self.assertEqual(self.page(inputStatus=2, inputValue="tenant12")["totalCount"], 10)
        self.assertEqual(self.page(inputStatus=3, inputValue="13800000342")["totalCount"], 1)
        exact = self.page(inputStatus=4, inputValue="ext-0042")
        self.assertEqual(exact["totalCount"], 1)
        self.assertEqual(exact["items"][0]["customerCode"], "ext-0042")
        self.assertEqual(self.page(inputStatus=4, inputValue="ext-004")["totalCount"], 0)

    def test_bad_date(self):
        r = self.mock.post_json(LIST, list_request(LARGE_UNION, LARGE_KEY, LARGE_ADMIN,
                                                   startDate="2020/01/01"))
        self.assertEqual(r.json["retCode"], "999999")


class Writes(unittest.TestCase):
    def setUp(self):
        self.mock = Mock().start()

    def tearDown(self):
        self.mock.stop()

    def listed(self, code):
        body = self.mock.post_json(LIST, list_request(inputStatus=4, inputValue=code)).json
        return body["items"][0] if body["items"] else None

    def test_add_tenant_then_list_it(self):
        r = self.mock.post_json(ADD, new_tenant("c-100", "boss@c100.example"))
        body = r.json
        self.assertEqual(list(body), ["retCode", "retMsg", "msg"])
        self.assertEqual((body["retCode"], body["retMsg"]), ("200000", "成功!"))
        self.assertEqual(list(body["msg"]), ["appKey", "contactName", "sysNum"])
        self.assertEqual(body["msg"]["sysNum"], expected_id("company", UNION, "c-100"))
        self.assertEqual(body["msg"]["appKey"], expected_id("appkey", UNION, "c-100"))
        self.assertEqual(body["msg"]["contactName"], "张三")
        item = self.listed("c-100")
        self.assertEqual(item["companyId"], body["msg"]["sysNum"])
        self.assertEqual(item["appKey"], body["msg"]["appKey"])
        self.assertEqual((item["email"], item["maxServiceCount"], item["serviceNum"]),
                         ("boss@c100.example", 3, 0))
        self.assertIs(item["tenantStatus"], True)

    def test_new_tenant_can_fetch_a_v5_token(self):
        self.mock.post_json(ADD, new_tenant("c-101", "boss@c101.example"))
        appid = expected_id("appid", UNION, "c-101")
        self.mock.token(appid=appid, app_key=expected_id("appkey", UNION, "c-101"))

    def test_ids_follow_the_seed(self):
        with Mock("--seed", "7") as m:
            body = m.post_json(ADD, new_tenant("c-102", "boss@c102.example")).json
            self.assertEqual(body["msg"]["sysNum"], expected_id("company", UNION, "c-102", seed=7))

    def test_duplicate_customer_code_and_taken_email(self):
        self.assertEqual(self.mock.post_json(ADD, new_tenant("c-103", "a@c103.example")).json["retCode"], "200000")
        r = self.mock.post_json(ADD, new_tenant("c-103", "b@c103.example"))
        self.assertEqual(r.json, {"retCode": "999999", "retMsg": "customerCode 已存在!", "msg": None})
        r = self.mock.post_json(ADD, new_tenant("c-104", "a@c103.example"))
        self.assertEqual(r.json["retCode"], "999999")
        self.assertEqual(r.json["retMsg"], "email 已存在!")
        # An agent's email is taken too.
        r = self.mock.post_json(ADD, new_tenant("c-105", "1024011851@qq.com"))
        self.assertEqual(r.json["retMsg"], "email 已存在!")

    def test_platform_seats(self):
        def add(code, seats):
            return self.mock.post_json(ADD, signed({"companyName": code, "maxCount": seats, "password": "p",
                                                    "customerCode": code}, code + "@seats.example",
                                                   SEAT_UNION, SEAT_KEY)).json
        self.assertEqual(add("s1", "6")["retCode"], "200000")
        self.assertEqual(add("s2", "5"), {"retCode": "200007", "retMsg": "在线客服数量不足", "msg": None})
        self.assertEqual(add("s3", "4")["retCode"], "200000")

    def test_missing_required_field(self):
        body = new_tenant("c-106", "x@c106.example")
        del body["password"]
        r = self.mock.post_json(ADD, body)
        self.assertEqual(r.json["retCode"], "999999")
        self.assertIn("password", r.diagnostic)

    def test_required_fields_are_read_as_documented(self):
        # The tenant calls document camelCase only: customer_code is not
        # customerCode, so the call is refused instead of storing an empty one.
        body = new_tenant("c-112", "x@c112.example")
        body["customer_code"] = body.pop("customerCode")
        r = self.mock.post_json(ADD, body)
        self.assertEqual(r.json["retCode"], "999999")
        self.assertIn("missing required parameter customerCode", r.diagnostic)
        self.assertEqual(self.mock.post_json(LIST, list_request()).json["totalCount"], 3)

    def test_over_long_fields_are_220001(self):
        r = self.mock.post_json(ADD, new_tenant("c-107", "x@c107.example", companyName="长" * 101))
        self.assertEqual(r.json, {"retCode": "220001", "retMsg": "[companyName] 的长度超过最大限制，最多允许 100 个字符", "msg": None})
        self.assertEqual(self.mock.post_json(ADD, new_tenant("c-107", "x@c107.example", companyName="长" * 100)).json["retCode"], "200000")
        r = self.mock.post_json(ADD, new_tenant("c" * 65, "x@c108.example"))
        self.assertEqual(r.json["retMsg"], "[customerCode] 的长度超过最大限制，最多允许 64 个字符")

    def test_length_limits_count_chinese_characters_not_bytes(self):
        # 64 Chinese characters are 192 bytes of UTF-8: within "64 个字符".
        code = "商户编码" * 16
        body = new_tenant(code, "cn@c110.example", password="密码" * 32, contactTel="电话" * 10,
                          icon="图" * 500)
        r = self.mock.post_json(ADD, body)
        self.assertEqual(r.json["retCode"], "200000", r.diagnostic)
        self.assertEqual(self.listed(code)["customerCode"], code)
        r = self.mock.post_json(ADD, new_tenant(code + "码", "cn@c111.example"))
        self.assertEqual(r.json["retMsg"], "[customerCode] 的长度超过最大限制，最多允许 64 个字符")
        self.assertIn("65 characters", r.diagnostic)

    def test_update_tenant(self):
        r = self.mock.post_json(UPDATE, signed({"companyName": "青樱格格01改", "maxCount": "8",
                                                "customerCode": "7", "contactTel": "13111111111"},
                                               "01@1com"))
        self.assertEqual(r.json, {"retCode": "200000", "retMsg": "成功", "msg": None})
        item = self.listed("7")
        self.assertEqual((item["companyName"], item["maxServiceCount"], item["contactTel"]),
                         ("青樱格格01改", 8, "13111111111"))

    def test_update_missing_tenant(self):
        r = self.mock.post_json(UPDATE, signed({"companyName": "x", "maxCount": "1", "customerCode": "nope"}, "x@y.example"))
        self.assertEqual(r.json, {"retCode": "999999", "retMsg": "商户不存在!", "msg": None})

    def test_update_below_agent_count_is_200007(self):
        # Tenant 7 has two agents.
        r = self.mock.post_json(UPDATE, signed({"companyName": "x", "maxCount": "1", "customerCode": "7"}, "01@1com"))
        self.assertEqual(r.json["retCode"], "200007")
        self.assertEqual(self.listed("7")["maxServiceCount"], 5)

    def test_concurrent_add_with_one_customer_code(self):
        results = []

        def add(n):
            r = self.mock.post_json(ADD, new_tenant("race", "racer%d@race.example" % n))
            results.append(r.json["retCode"])

        threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), ["200000"] + ["999999"] * 7)
        body = self.mock.post_json(LIST, list_request(inputStatus=4, inputValue="race")).json
        self.assertEqual(body["totalCount"], 1)

    def test_reset_forgets_added_tenants(self):
        self.mock.post_json(ADD, new_tenant("c-109", "x@c109.example"))
        self.assertEqual(self.mock.admin("POST", "reset")[0], 200)
        self.assertIsNone(self.listed("c-109"))
        self.assertEqual(self.mock.post_json(LIST, list_request()).json["totalCount"], 3)


if __name__ == "__main__":
    main()
