"""The request journal: what it records, its filters, the waiting count, its bound."""
import os
import threading
import time
import unittest

from harness import MockCase, EXAMPLE_APPID, EXAMPLE_APP_KEY, Mock, main, md5

OTHER_APPID = "7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b"
OTHER_KEY = "Qm9sdC1Nb2NrLUtleS0yMDI2"


def token_path(appid=EXAMPLE_APPID, key=EXAMPLE_APP_KEY, sign=None):
    t = str(int(time.time()))
    return "/api/get_token?appid=%s&create_time=%s&sign=%s" % (appid, t, sign or md5(appid, t, key))


def is_sanitizer_build(path):
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


class Journal(MockCase):
    @classmethod
    def new_mock(cls):
        return Mock("--journal-body-limit", "16")

    def setUp(self):
        self.mock.admin("DELETE", "requests")

    def requests(self, query=""):
        status, body = self.mock.admin("GET", "requests" + query)
        self.assertEqual(status, 200, body)
        return body["requests"]

    def test_entry_fields_masking_and_truncation(self):
        self.mock.request("POST", "/api/get_token?appid=1", body="x" * 100,
                          headers={"token": "abcdef0123456789", "Content-Type": "text/plain",
                                   "X-App-Key": "supersecretvalue", "language": "en"})
        [e] = self.requests()
        for field in ("id", "time_ms", "real_time_ms", "method", "path", "query", "headers", "body", "route",
                      "status", "code", "latency_ms", "fault", "diagnostic", "appid", "matched"):
            self.assertIn(field, e)
        self.assertEqual((e["method"], e["path"], e["query"], e["route"]), ("POST", "/api/get_token", "appid=1",
                                                                             "get_token"))
        self.assertEqual(e["headers"]["token"], "abcdef...")
        self.assertEqual(e["headers"]["X-App-Key"], "supers...")
        self.assertEqual(e["headers"]["language"], "en")
        self.assertEqual(e["body"], "x" * 16)
        self.assertTrue(e["body_truncated"])
        self.assertEqual(e["body_size"], 100)
        self.assertEqual(e["appid"], "1")
        self.assertIn("documented as GET", e["diagnostic"])
        self.assertGreater(e["latency_ms"], 0)

    def test_control_plane_calls_are_not_journaled(self):
        self.mock.admin("GET", "health")
        self.mock.admin("GET", "faults")
        self.assertEqual(self.requests(), [])

    def test_filters_and_count(self):
        self.mock.get(token_path())                                  # 1 ok
        self.mock.get(token_path(OTHER_APPID, OTHER_KEY))            # 2 ok, other app
        self.mock.get(token_path(sign="0" * 32))                     # 3 bad sign
        self.mock.request("POST", token_path())                      # 4 wrong method
        self.mock.get("/api/get_tokn")                               # 5 unmatched
        everything = self.requests()
        self.assertEqual(len(everything), 5)
        ids = [e["id"] for e in everything]
        self.assertEqual(ids, sorted(ids))  # newest last

        def count(q):
            status, body = self.mock.admin("GET", "requests/count" + q)
            self.assertEqual(status, 200, body)
            return body["count"]

        self.assertEqual(count(""), 5)
        self.assertEqual(count("?route=get_token"), 4)
        self.assertEqual(count("?path=/api/get_token"), 4)
        self.assertEqual(count("?path=/api/*"), 5)
        self.assertEqual(count("?method=POST"), 1)
        self.assertEqual(count("?appid=" + OTHER_APPID), 1)
        self.assertEqual(count("?code=900003"), 1)
        self.assertEqual(count("?code=000000"), 3)
        self.assertEqual(count("?status=404"), 1)
        self.assertEqual(count("?since_id=%d" % ids[2]), 2)
        self.assertEqual(count("?since_ms=%d" % everything[0]["time_ms"]), 5)
        self.assertEqual(count("?since_ms=%d" % (everything[-1]["time_ms"] + 1)), 0)
        self.assertEqual([e["id"] for e in self.requests("?limit=2")], ids[-2:])
        self.assertEqual([e["id"] for e in self.requests("?route=get_token&appid=1&limit=1")], [ids[3]])
        [unmatched] = self.mock.admin("GET", "requests/unmatched")[1]["requests"]
        self.assertEqual((unmatched["path"], unmatched["matched"], unmatched["route"]), ("/api/get_tokn", False, ""))

    def test_unknown_or_bad_filter_is_400(self):
        for q in ("?colour=red", "?status=abc", "?limit=-1", "?since_id=x"):
            status, body = self.mock.admin("GET", "requests" + q)
            self.assertEqual(status, 400, q)
            self.assertIn("error", body)
        self.assertEqual(self.mock.admin("GET", "requests?min=1")[0], 400)  # min belongs to count

    def test_clear(self):
        self.mock.get(token_path())
        self.assertEqual(self.mock.admin("DELETE", "requests"), (200, {"cleared": True}))
        self.assertEqual(self.requests(), [])
        self.mock.get(token_path())
        self.assertEqual(len(self.requests()), 1)

    def test_count_waits_for_an_asynchronous_client(self):
        def late_client():
            time.sleep(0.4)
            for _ in range(3):
                self.mock.get(token_path())

        t = threading.Thread(target=late_client)
        start = time.monotonic()
        t.start()
        status, body = self.mock.admin("GET", "requests/count?route=get_token&min=3&timeout_ms=5000")
        waited = time.monotonic() - start
        t.join()
        self.assertEqual((status, body), (200, {"count": 3, "reached": True}))
        self.assertGreaterEqual(waited, 0.35)
        self.assertLess(waited, 4)

    def test_count_wait_times_out(self):
        start = time.monotonic()
        status, body = self.mock.admin("GET", "requests/count?route=get_token&min=1&timeout_ms=300")
        self.assertEqual((status, body), (200, {"count": 0, "reached": False}))
        self.assertGreaterEqual(time.monotonic() - start, 0.28)

    def test_count_already_reached_answers_at_once(self):
        self.mock.get(token_path())
        start = time.monotonic()
        status, body = self.mock.admin("GET", "requests/count?min=1&timeout_ms=5000")
        self.assertEqual(body, {"count": 1, "reached": True})
        self.assertLess(time.monotonic() - start, 1)


class RingBound(unittest.TestCase):
    def test_ring_keeps_the_newest_and_memory_stays_flat(self):
        with Mock("--journal-size", "50", "--journal-body-limit", "2048", "--threads", "4") as m:
            body = "y" * 60000

            def rss_kb():
                with open("/proc/%d/status" % m.proc.pid) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            return int(line.split()[1])

            def load(n):
                def client():
                    for _ in range(n):
                        m.request("POST", "/api/get_token", body=body, headers={"Content-Type": "text/plain"})
                threads = [threading.Thread(target=client) for _ in range(4)]
                [t.start() for t in threads]
                [t.join() for t in threads]

            load(100)
            warm = rss_kb()
            load(400)
            after = rss_kb()
            entries = m.admin("GET", "requests")[1]["requests"]
            self.assertEqual(len(entries), 50)
            self.assertEqual(entries[-1]["id"], 2000)
            self.assertEqual([e["id"] for e in entries], list(range(1951, 2001)))
            self.assertTrue(all(len(e["body"]) == 2048 for e in entries))
            self.assertEqual(m.admin("GET", "requests/count")[1], {"count": 50})
            if not is_sanitizer_build(m.proc.args[0]):  # the sanitizer's quarantine holds freed memory
                self.assertLess(after - warm, 8 * 1024, "RSS grew from %d kB to %d kB" % (warm, after))


if __name__ == "__main__":
    main()
