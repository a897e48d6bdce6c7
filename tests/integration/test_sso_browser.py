"""A real browser through an SSO login link: headless Chromium (Debian's
package) driven by playwright-core (tests/browser), over HTTP and HTTPS.

scripts/test installs both. Without them the test is skipped, saying why,
except under CI (CI set), where a missing browser is a failure."""
import os
import shutil
import subprocess
import unittest

from harness import SOURCE_DIR, Mock, main

BROWSER_DIR = os.path.join(SOURCE_DIR, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AGENT = "xiaoming@sobot.io"


def missing():
    """Why the browser test cannot run here, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return "chromium is not installed (apt-get install chromium, or run scripts/test)"
    if not shutil.which("node"):
        return "node is not installed (apt-get install nodejs, or run scripts/test)"
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        return "tests/browser has no node_modules (npm ci in tests/browser, or run scripts/test)"
    return None


def skip_unless_ready(test):
    reason = missing()
    if reason and not os.environ.get("CI"):
        return unittest.skip(reason)(test)
    return test


@skip_unless_ready
class BrowserFlow(unittest.TestCase):
    def setUp(self):
        reason = missing()
        if reason:  # only under CI: a missing browser fails there
            self.fail("CI is set but the browser test cannot run: " + reason)

    def run_browser(self, url):
        proc = subprocess.run(["node", os.path.join(BROWSER_DIR, "sso.mjs"), url, AGENT],
                              cwd=BROWSER_DIR, capture_output=True, text=True, timeout=120)
        output = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, 0, output)
        self.assertIn("browser flow passed", output)
        return output

    def login_link(self, mock, tls):
        r = mock.request("POST", "/api/public/sso/5/login_url", tls=tls,
                         body={"agent_email": AGENT, "type": "1", "status": 1},
                         headers={"token": mock.token()})
        self.assertEqual(r.json["ret_code"], "000000", r.json)
        return r.json["item"]["url"]

    def test_link_console_logout_over_http(self):
        with Mock(https=True) as m:
            url = self.login_link(m, tls=False)
            self.assertTrue(url.startswith("http://"))
            self.run_browser(url)
            link = m.admin("GET", "sso")[1]["links"][0]
            self.assertEqual((link["used"], link["uses"]), (True, 1))

    def test_link_console_logout_over_https(self):
        with Mock(https=True) as m:
            url = self.login_link(m, tls=True)
            self.assertTrue(url.startswith("https://"))
            self.run_browser(url)


if __name__ == "__main__":
    main()
