"""tenantpro agents: addServiceInfoConfim.json, updateServiceInfoConfim.json,
deleteServiceInfoConfim (the vendor's spelling), seats and later reads."""
import unittest

from harness import Mock, main
from tenantpro import list_request, signed

ADD = "/tenantpro/open/addServiceInfoConfim.json"
UPDATE = "/tenantpro/open/updateServiceInfoConfim.json"
DELETE = "/tenantpro/open/deleteServiceInfoConfim"
LIST = "/tenantpro/open/getTenantList"
OK = {"retCode": "200000", "retMsg": "成功", "msg": None}


def agent(email, code="7", **extra):
    fields = {"customerCode": code, "nick": "小明", "name": "王小明", "roleId": "1111",
              "password": "pw", "phoneNo": "13800000009", "maxAcceptNum": "6"}
    fields.update(extra)
    return signed(fields, email)


class Agents(unittest.TestCase):
    def setUp(self):
        self.mock = Mock().start()

    def tearDown(self):
        self.mock.stop()

    def service_num(self, code="7"):
        body = self.mock.post_json(LIST, list_request(inputStatus=4, inputValue=code)).json
        return body["items"][0]["serviceNum"]

    def test_add_update_delete_cycle(self):
        self.assertEqual(self.service_num(), 2)
        self.assertEqual(self.mock.post_json(ADD, agent("new@agent.example")).json, OK)
        self.assertEqual(self.service_num(), 3)
        r = self.mock.post_json(UPDATE, signed({"customerCode": "7", "serviceNick": "阿明", "serviceName": "王明",
                                                "phoneNo": "13800000010", "maxAcceptNum": "9"}, "new@agent.example"))
        self.assertEqual(r.json, OK)
        r = self.mock.post_form(DELETE, signed({"customerCode": "7"}, "new@agent.example"))
        self.assertEqual(r.json, OK)
        self.assertEqual(self.service_num(), 2)
        # Gone: a second delete or an update is refused.
        r = self.mock.post_json(DELETE, signed({"customerCode": "7"}, "new@agent.example"))
        self.assertEqual(r.json["retMsg"], "客户邮箱未激活,请激活后再次尝试修改客户信息!")
        self.assertIn("no agent", r.diagnostic)

    def test_documented_delete_example_agent(self):
        # The page's example deletes 1024011851@qq.com from customerCode 7.
        r = self.mock.post_json(DELETE, signed({"customerCode": "7"}, "1024011851@qq.com"))
        self.assertEqual(r.json, OK)

    def test_unknown_tenant(self):
        r = self.mock.post_json(ADD, agent("x@agent.example", code="nope"))
        self.assertEqual(r.json, {"retCode": "999999", "retMsg": "商户不存在!", "msg": None})
        r = self.mock.post_json(DELETE, signed({"customerCode": "nope"}, "1024011851@qq.com"))
        self.assertEqual(r.json["retMsg"], "商户不存在!")

    def test_agent_of_another_tenant_is_not_changed(self):
        self.mock.post_json("/tenantpro/open/addTenant.json",
                            signed({"companyName": "B", "maxCount": "2", "password": "p", "customerCode": "b"}, "b@b.example"))
        r = self.mock.post_json(DELETE, signed({"customerCode": "b"}, "1024011851@qq.com"))
        self.assertEqual(r.json["retMsg"], "客户邮箱未激活,请激活后再次尝试修改客户信息!")
        self.assertIn("another tenant", r.diagnostic)

    def test_seats_are_enforced(self):
        # Tenant 7: maxCount 5, two agents.
        for n in range(3):
            self.assertEqual(self.mock.post_json(ADD, agent("a%d@seat.example" % n)).json, OK)
        r = self.mock.post_json(ADD, agent("a9@seat.example"))
        self.assertEqual(r.json, {"retCode": "200007", "retMsg": "在线客服数量不足", "msg": None})
        self.assertIn("maxCount 5", r.diagnostic)

    def test_unique_email(self):
        r = self.mock.post_json(ADD, agent("1024011851@qq.com"))
        self.assertEqual(r.json["retMsg"], "email 已存在!")
        r = self.mock.post_json(ADD, agent("02@1com"))  # a tenant admin's
        self.assertEqual(r.json["retMsg"], "email 已存在!")

    def test_role_ids(self):
        for role in ("1111", "2222", "5555", "8888"):
            self.assertEqual(self.mock.post_json(ADD, agent("r%s@role.example" % role, roleId=role)).json, OK)
            self.mock.post_json(DELETE, signed({"customerCode": "7"}, "r%s@role.example" % role))
        r = self.mock.post_json(ADD, agent("bad@role.example", roleId="3333"))
        self.assertEqual(r.json["retCode"], "999999")
        self.assertIn("roleId", r.diagnostic)

    def test_over_long_nick(self):
        r = self.mock.post_json(ADD, agent("long@agent.example", nick="名" * 41))
        self.assertEqual(r.json["retCode"], "220001")
        self.assertEqual(r.json["retMsg"], "[nick] 的长度超过最大限制，最多允许 40 个字符")

    def test_bad_token(self):
        body = agent("x@agent.example")
        body["token"] = "f" * 32
        r = self.mock.post_json(ADD, body)
        self.assertEqual(r.json, {"retCode": "999998", "retMsg": "请求失败!登录已失效,请重新登录!", "msg": None})
        self.assertIn("md5(unionCode + ts + email + unionKey)", r.diagnostic)
        self.assertEqual(self.service_num(), 2)

    def test_english(self):
        body = agent("x@agent.example", code="nope")
        r = self.mock.request("POST", ADD, body=body, headers={"language": "en"})
        self.assertEqual(r.json["retMsg"], "tenant does not exist!")


if __name__ == "__main__":
    main()
