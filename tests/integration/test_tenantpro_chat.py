"""chatIndexPage (POST /chat-third/tenant/5/user/chatIndexPage): the
documented shape, its status codes and the 20-a-minute limit on the mock clock."""
import unittest

from harness import Mock, main, md5
from tenantpro import SEAT_KEY, SEAT_UNION, UNION, UNION_KEY, now_ms

PATH = "/chat-third/tenant/5/user/chatIndexPage"
ITEM_KEYS = ["unionCode", "sysNum", "companyName", "companyLogo", "visitorId", "partnerId",
             "lastCid", "lastMsgContent", "lastMsgTime", "lastMsgType", "unReadNum"]


def chat_request(partner="test001", union=UNION, key=UNION_KEY):
    ts = now_ms()
    return {"union_code": union, "partnerId": partner, "ts": ts,
            "token": md5(union, partner, ts, key)}


class Chat(unittest.TestCase):
    def setUp(self):
        self.mock = Mock().start()
        self.mock.admin("POST", "clock", {"freeze": True})

    def tearDown(self):
        self.mock.stop()

    def test_documented_shape(self):
        r = self.mock.post_json(PATH, chat_request())
        body = r.json
        self.assertEqual(list(body), ["items", "status"])
        self.assertEqual(body["status"], 1)
        self.assertEqual(len(body["items"]), 3)  # test001 chats with all three example tenants
        first = body["items"][0]
        self.assertEqual(list(first), ITEM_KEYS)
        self.assertEqual((first["unionCode"], first["partnerId"], first["lastCid"], first["lastMsgContent"]),
                         (UNION, "test001", "032dc4dd38d24f97aeb6b38346854f71", "ko"))
        self.assertEqual(first["sysNum"], "bc0af7e208164b6a8aa83f7722cb22ed")
        self.assertEqual(first["companyName"], "青樱格格01")
        self.assertEqual(first["lastMsgTime"], 1607338626737)
        self.assertIsInstance(first["unReadNum"], int)
        times = [i["lastMsgTime"] for i in body["items"]]
        self.assertEqual(times, sorted(times, reverse=True))

    def test_unreadable_body_is_status_2(self):
        # chatIndexPage has its own status vocabulary: a body that is not
        # JSON is "2: bad parameters", never a v5 code in "status".
        r = self.mock.request("POST", PATH, body='{"union_code":', headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"items": [], "status": 2})
        self.assertIn("not valid JSON", r.diagnostic)

    def test_form_and_other_partner(self):
        r = self.mock.post_form(PATH, chat_request("test002"))
        self.assertEqual(len(r.json["items"]), 1)
        r = self.mock.post_json(PATH, chat_request("nobody"))
        self.assertEqual(r.json, {"items": [], "status": 1})

    def test_status_codes(self):
        body = chat_request()
        del body["partnerId"]
        self.assertEqual(self.mock.post_json(PATH, body).json["status"], 2)
        self.assertEqual(self.mock.post_json(PATH, chat_request(union="77777")).json["status"], 3)
        body = chat_request()
        body["token"] = "0" * 32
        r = self.mock.post_json(PATH, body)
        self.assertEqual(r.json, {"items": [], "status": 5})
        self.assertIn("md5(unionCode + partnerId + ts + unionKey)", r.diagnostic)

    def test_rate_limit_windowed_on_the_mock_clock(self):
        for n in range(20):
            self.assertEqual(self.mock.post_json(PATH, chat_request()).json["status"], 1, n)
        r = self.mock.post_json(PATH, chat_request())
        self.assertEqual(r.json, {"items": [], "status": 4})
        self.assertIn("60 s", r.diagnostic)
        # Another platform has its own window.
        other = chat_request(union=SEAT_UNION, key=SEAT_KEY)
        self.assertEqual(self.mock.post_json(PATH, other).json, {"items": [], "status": 1})
        # Refused calls do not count: 59 s on, the 21st and 22nd calls fell
        # inside the window, yet at 60 s the window holds none of them.
        self.mock.admin("POST", "clock", {"advance": 59})
        self.assertEqual(self.mock.post_json(PATH, chat_request()).json["status"], 4)
        self.mock.admin("POST", "clock", {"advance": 1})
        self.assertEqual(self.mock.post_json(PATH, chat_request()).json["status"], 1)

    def test_rate_limit_is_configurable(self):
        with Mock("--chat-rate-limit", "2") as m:
            m.admin("POST", "clock", {"freeze": True})
            self.assertEqual([m.post_json(PATH, chat_request()).json["status"] for _ in range(3)], [1, 1, 4])


if __name__ == "__main__":
    main()
