"""tenantpro getStaffLogInfos (GET /tenantpro/coutomer/getStaffLogInfos): the
documented shape, its signature and the one-week window on the mock clock."""
import unittest

from harness import MockCase, Mock, main, md5
from tenantpro import UNION, UNION_KEY, now_ms

PATH = "/tenantpro/coutomer/getStaffLogInfos"
WEEK = 7 * 24 * 3600 * 1000
EXAMPLE_MS = 1571037571921  # the page's example log line


def query(**window):
    ts = now_ms()
    q = {"unionCode": UNION, "ts": ts, "token": md5(UNION, ts, UNION_KEY)}
    q.update({k: str(v) for k, v in window.items()})
    return q


def lines(body):
    return [line["datetime"] for c in body["items"] for s in c["companyStaffInfos"]
            for line in s["staffLogInfos"]]


class StaffLogs(MockCase):

    def get(self, **window):
        r = self.mock.get(PATH, **query(**window))
        self.assertEqual(r.json["retCode"], "200000", r.diagnostic)
        return r.json

    def test_documented_shape(self):
        body = self.get(startTime=EXAMPLE_MS - 1000, endTime=EXAMPLE_MS + 1000)
        self.assertEqual(list(body), ["items", "retCode", "retMsg"])
        self.assertEqual(body["retMsg"], "成功")
        company = body["items"][0]
        self.assertEqual(list(company), ["companyId", "companyStaffInfos"])
        staff = company["companyStaffInfos"][0]
        self.assertEqual(list(staff), ["staffId", "staffLogInfos"])
        self.assertEqual(staff["staffId"], "53df8dee9a9e4fdda236faf6351e7a8d")
        self.assertEqual(staff["staffLogInfos"], [{"datetime": EXAMPLE_MS, "datetimeFormat": "2019-10-14 15:19:31",
                                                  "source": 0, "operationAction": "在线"}])

    def test_grouping(self):
        body = self.get(startTime=1571000000000, endTime=1571100000000)
        self.assertEqual(len(body["items"]), 2)  # two tenants have logs
        self.assertEqual(len(lines(body)), 5)
        self.assertEqual(len(body["items"][0]["companyStaffInfos"][0]["staffLogInfos"]), 3)

    def test_case_1_both_over_a_week_keeps_the_end(self):
        # The window ends 1 ms after the first example line and would start a
        # month earlier; it is cut to one week, which still holds the line.
        body = self.get(startTime=EXAMPLE_MS - 30 * 24 * 3600 * 1000, endTime=EXAMPLE_MS)
        self.assertIn(EXAMPLE_MS, lines(body))
        body = self.get(startTime=EXAMPLE_MS - 1, endTime=EXAMPLE_MS + WEEK + 5000)
        self.assertNotIn(EXAMPLE_MS, lines(body))

    def test_case_3_start_only_is_the_week_after(self):
        self.assertIn(EXAMPLE_MS, lines(self.get(startTime=EXAMPLE_MS - WEEK + 10)))
        self.assertNotIn(EXAMPLE_MS, lines(self.get(startTime=EXAMPLE_MS - WEEK - 10)))

    def test_case_4_end_only_is_the_week_before(self):
        self.assertIn(EXAMPLE_MS, lines(self.get(endTime=EXAMPLE_MS + WEEK - 10)))
        self.assertNotIn(EXAMPLE_MS, lines(self.get(endTime=EXAMPLE_MS + WEEK + 10)))

    def test_bad_window(self):
        r = self.mock.get(PATH, **query(startTime=5, endTime=4))
        self.assertEqual(r.json["retCode"], "999999")
        r = self.mock.get(PATH, **query(startTime="yesterday"))
        self.assertEqual(r.json["retCode"], "999999")

    def test_bad_token(self):
        q = query()
        q["token"] = md5(UNION, q["ts"], "admin@platform10004.example", UNION_KEY)  # the email formula
        r = self.mock.get(PATH, **q)
        self.assertEqual(r.json["retCode"], "999998")
        self.assertIn("md5(unionCode + ts + unionKey)", r.diagnostic)


class StaffLogsClock(unittest.TestCase):
    def test_case_2_neither_is_the_week_up_to_the_mock_now(self):
        with Mock() as m:
            m.admin("POST", "clock", {"set": (EXAMPLE_MS + 3 * 24 * 3600 * 1000) / 1000, "freeze": True})
            r = m.get(PATH, **query())
            self.assertIn(EXAMPLE_MS, lines(r.json))
            m.admin("POST", "clock", {"advance": 5 * 24 * 3600})
            r = m.get(PATH, **query())
            self.assertNotIn(EXAMPLE_MS, lines(r.json))


if __name__ == "__main__":
    main()
