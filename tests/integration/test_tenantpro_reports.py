"""tenantpro reports: tenantExportData and its download, getBatchAppKey,
tenantStaffJobList, and the configurable report sign."""
import csv
import io
import unittest
import urllib.parse

from harness import MockCase, Mock, main, md5
from tenantpro import (EXAMPLE_TENANTS, LARGE_FIXTURES, LARGE_KEY, LARGE_UNION, UNION, UNION_KEY,
                       expected_id, now_ms, report_request, signed)

EXPORT = "/tenantpro/tenantReport/tenantExportData"
BATCH = "/tenantpro/getBatchAppKey"
JOBS = "/tenantpro/tenantReport/tenantStaffJobList"


class Reports(MockCase):

    def export(self, type_, date="2020-01-05"):
        r = self.mock.post_json(EXPORT, report_request({"type": type_, "date": date}))
        self.assertEqual(r.json.get("ret_code"), "000000", r.diagnostic)
        return r.json

    def download(self, file_path):
        url = urllib.parse.urlsplit(file_path)
        self.assertEqual(url.netloc, "127.0.0.1:%d" % self.mock.port)
        r = self.mock.get(url.path)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        return list(csv.DictReader(io.StringIO(r.body.decode("utf-8-sig"))))

    def test_export_documented_shape(self):
        body = self.export("7")
        self.assertEqual(list(body), ["item", "ret_code", "ret_msg"])
        self.assertEqual(body["ret_msg"], "成功")
        item = body["item"]
        self.assertEqual(list(item), ["filePath", "unionCode", "createTime", "resultDate", "taskType"])
        self.assertEqual((item["unionCode"], item["resultDate"], item["taskType"]), (UNION, "2020-01-05", "7"))
        self.assertTrue(item["createTime"].isdigit())
        self.assertTrue(item["filePath"].startswith("http://"))
        self.assertTrue(item["filePath"].endswith(".csv"))

    def test_session_export_download(self):
        rows = self.download(self.export("7")["item"]["filePath"])
        self.assertEqual([r["companyId"] for r in rows][:3], [t[0] for t in EXAMPLE_TENANTS])
        by_id = {r["companyId"]: r for r in rows}
        # 青樱格格01's two agents: 20 + 6 sessions on 2020-01-05.
        self.assertEqual(by_id["bc0af7e208164b6a8aa83f7722cb22ed"]["sessions"], "26")
        self.assertEqual(by_id["bc0af7e208164b6a8aa83f7722cb22ed"]["companyName"], "青樱格格01")
        self.assertEqual(by_id["42fb9905aa7f4eff9639d732c9c3aa85"]["sessions"], "0")
        self.assertEqual(rows[0]["date"], "2020-01-05")

    def test_response_time_export_download(self):
        rows = self.download(self.export("8")["item"]["filePath"])
        row = {r["companyId"]: r for r in rows}["3b9577c3ddaa49bda857a0ab8593b7ba"]
        self.assertEqual(row["firstResponseIn60sRate"], "90%")
        self.assertEqual(row["avgFirstResponseSeconds"], "24.0")

    def test_export_reads_the_store_at_download(self):
        # A tenant added later appears in the file of an earlier export.
        path = self.export("7", "2020-01-06")["item"]["filePath"]
        self.mock.post_json("/tenantpro/open/addTenant.json",
                            signed({"companyName": "Later", "maxCount": "1", "password": "p",
                                    "customerCode": "later"}, "later@x.example"))
        rows = self.download(path)
        self.assertIn(expected_id("company", UNION, "later"), [r["companyId"] for r in rows])

    def test_export_quotes_names_with_commas_quotes_and_newlines(self):
        name = '店铺 "A", 第一\n分店'
        self.mock.post_json("/tenantpro/open/addTenant.json",
                            signed({"companyName": name, "maxCount": "1", "password": "p",
                                    "customerCode": "csv"}, "csv@x.example"))
        rows = self.download(self.export("8", "2020-01-07")["item"]["filePath"])
        row = {r["companyId"]: r for r in rows}[expected_id("company", UNION, "csv")]
        self.assertEqual(row["companyName"], name)
        self.assertEqual(row["firstResponseIn60sRate"], "00%")

    def test_unknown_export(self):
        self.assertEqual(self.mock.get("/tenantpro/export/nope.csv").status, 404)

    def test_export_errors(self):
        r = self.mock.post_json(EXPORT, report_request({"type": "9", "date": "2020-01-05"}))
        self.assertEqual(r.json["ret_code"], "999999")
        r = self.mock.post_json(EXPORT, report_request({"type": "7", "date": "05/01/2020"}))
        self.assertEqual(r.json["ret_code"], "999999")
        body = report_request({"type": "7", "date": "2020-01-05"})
        body["sign"] = "1" * 32
        r = self.mock.post_json(EXPORT, body)
        self.assertEqual(r.json, {"ret_code": "900003", "ret_msg": "signature错误"})
        self.assertIn("md5(unionCode + ts + unionKey)", r.diagnostic)
        r = self.mock.post_json(EXPORT, report_request({"type": "7", "date": "2020-01-05"}, union="404"))
        self.assertEqual(r.json["ret_code"], "900004")

    def test_documented_example_ts_in_seconds(self):
        r = self.mock.post_json(EXPORT, report_request({"type": "7", "date": "2020-01-05"}, ts="1569397773"))
        self.assertEqual(r.json["ret_code"], "000000")
        self.assertIn("looks like seconds", r.diagnostic)

    def test_batch_app_key_documented_shape(self):
        r = self.mock.post_json(BATCH, report_request())
        body = r.json
        self.assertEqual(list(body), [UNION, "retCode", "retMsg"])
        self.assertEqual((body["retCode"], body["retMsg"]), ("000000", "操作成功"))
        self.assertEqual(list(body[UNION]), ["data", "time"])
        self.assertRegex(body[UNION]["time"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        data = body[UNION]["data"]
        self.assertEqual([list(d) for d in data], [["appId", "appKey", "companyId", "companyName"]] * 3)
        self.assertEqual([(d["companyId"], d["companyName"], d["appKey"]) for d in data],
                         [t[:3] for t in EXAMPLE_TENANTS])

    def test_batch_app_key_keys_fetch_tokens(self):
        data = self.mock.post_form(BATCH, report_request()).json[UNION]["data"]
        self.mock.token(appid=data[0]["appId"], app_key=data[0]["appKey"])

    def test_staff_job_list_documented_example(self):
        r = self.mock.post_json(JOBS, report_request({"start_date": "2021-03-02", "end_date": "2021-03-02"},
                                                     union_field="union_code"))
        body = r.json
        self.assertEqual(list(body), ["items", "retCode", "retMsg"])
        self.assertEqual((body["retCode"], body["retMsg"]), ("000000", "成功"))
        got = {i["staffid"]: i for i in body["items"]}
        self.assertEqual(list(body["items"][0]), ["staffid", "companyid", "first_response_time_set",
                                                  "transfer_first_response_count",
                                                  "session_human_visitor_consult", "first_response_in60s_rate"])
        self.assertEqual(got["0a499e5706fb454688abe23ffeb48e6f"]["first_response_in60s_rate"], "100%")
        self.assertEqual(got["0a499e5706fb454688abe23ffeb48e6f"]["first_response_time_set"], 1)
        self.assertEqual(got["441d1579b6364ab6b9a33b5f5d956852"]["session_human_visitor_consult"], 4)
        self.assertEqual(got["441d1579b6364ab6b9a33b5f5d956852"]["first_response_in60s_rate"], "00%")
        self.assertEqual(got["99653e9bf9534fd2bd542328ff2b31e1"]["session_human_visitor_consult"], 1)

    def test_staff_job_list_sums_the_range(self):
        r = self.mock.post_json(JOBS, report_request({"start_date": "2020-01-01", "end_date": "2021-12-31"},
                                                     union_field="union_code"))
        got = {i["staffid"]: i for i in r.json["items"]}
        self.assertEqual(got["0a499e5706fb454688abe23ffeb48e6f"]["first_response_time_set"], 19)
        self.assertEqual(len(got), 5)  # every agent with figures in either example day

    def test_staff_job_list_errors(self):
        r = self.mock.post_json(JOBS, report_request({"start_date": "2021-03-03", "end_date": "2021-03-02"},
                                                     union_field="union_code"))
        self.assertEqual(r.json["retCode"], "999999")
        r = self.mock.post_json(JOBS, report_request({"start_date": "2021-03-03"}, union_field="union_code"))
        self.assertEqual(r.json["retCode"], "999999")
        self.assertIn("end_date", r.diagnostic)


class ReportSignFormula(unittest.TestCase):
    def test_report_sign_is_configurable(self):
        with Mock("--report-sign", "ts+unionCode+unionKey") as m:
            ts = now_ms()
            r = m.post_json(BATCH, {"unionCode": UNION, "ts": ts, "sign": md5(ts, UNION, UNION_KEY)})
            self.assertEqual(r.json["retCode"], "000000", r.diagnostic)
            r = m.post_json(BATCH, report_request())
            self.assertEqual(r.json["retCode"], "900003")
            self.assertIn("md5(ts + unionCode + unionKey)", r.diagnostic)


class LargeBatch(unittest.TestCase):
    def test_every_tenant_of_a_large_platform(self):
        with Mock(fixtures=LARGE_FIXTURES) as m:
            body = m.post_json(BATCH, report_request(union=LARGE_UNION, key=LARGE_KEY)).json
            self.assertEqual(len(body[LARGE_UNION]["data"]), 350)
            export = m.post_json(EXPORT, report_request({"type": "8", "date": "2020-01-05"},
                                                        union=LARGE_UNION, key=LARGE_KEY)).json
            path = urllib.parse.urlsplit(export["item"]["filePath"]).path
            rows = list(csv.DictReader(io.StringIO(m.get(path).body.decode("utf-8-sig"))))
            self.assertEqual(len(rows), 350)


if __name__ == "__main__":
    main()
