"""Test harness: starts the real sobot-mock binary on free ports and talks
HTTP(S) to it, the way a client project's CI would.

    with Mock() as m:
        status, headers, body = m.get("/api/get_token", appid="1", ...)

The binary comes from $SOBOT_MOCK_BIN (set by CTest), else build/sobot-mock.
Every Mock checks on exit that the process stopped cleanly (exit 0), so a
sanitizer report at shutdown fails the test that caused it.
"""
import hashlib
import http.client
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("SOBOT_MOCK_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
BIN = os.path.abspath(os.environ.get("SOBOT_MOCK_BIN", os.path.join(SOURCE_DIR, "build", "sobot-mock")))

# The vendor's documented example (token page): appid 1, app_key 2.
EXAMPLE_APPID = "1"
EXAMPLE_APP_KEY = "2"
EXAMPLE_CREATE_TIME = "1569397773"
EXAMPLE_SIGN = "258eec3118705112b2c53dc8043d4d34"


def md5(*parts):
    return hashlib.md5("".join(str(p) for p in parts).encode("utf-8")).hexdigest()


class Reply:
    """An HTTP answer: status, headers (case-insensitive get), raw body, JSON."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name, default=None):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8")

    @property
    def diagnostic(self):
        return urllib.parse.unquote(self.header("X-Sobot-Mock-Diagnostic", ""))

    def __repr__(self):
        return "Reply(%d, %r)" % (self.status, self.body[:300])


class Mock:
    """One sobot-mock process on free ports; a context manager."""

    def __init__(self, *args, env=None, https=False, db=None, fixtures=None, cwd=None,
                 cert_out=False):
        self.args = list(args)
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.https = https
        self.db = db
        self.fixtures = fixtures
        self.cwd = cwd
        self.proc = None
        self.port = None
        self.https_port = None
        self.tmp = tempfile.mkdtemp(prefix="sobot-mock-test-")
        self.log_path = os.path.join(self.tmp, "mock.log")
        # With cert_out, the mock writes its HTTPS certificate here at start
        # (--tls-cert-out) and tls_context() trusts it.
        self.cert_path = os.path.join(self.tmp, "cert.pem") if cert_out else None

    # ---- life cycle ----
    def start(self):
        port_file = os.path.join(self.tmp, "ports")
        if os.path.exists(port_file):
            os.unlink(port_file)
        argv = [BIN, "--port", "0", "--port-file", port_file, "--threads", "2", "--quiet"]
        argv += ["--https-port", "0" if self.https else "off"]
        if self.db:
            argv += ["--db", self.db]
        if self.fixtures:
            argv += ["--fixtures", self.fixtures]
        if self.cert_path:
            argv += ["--tls-cert-out", self.cert_path]
        argv += self.args
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=self.log, env=self.env,
                                     cwd=self.cwd)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("sobot-mock exited %s:\n%s" % (self.proc.returncode, self.read_log()))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    lines = f.read().split()
                if lines:
                    self.port = int(lines[0])
                    if len(lines) > 1 and lines[1].isdigit():
                        self.https_port = int(lines[1])
                    return self
            time.sleep(0.01)
        self.proc.kill()
        raise RuntimeError("sobot-mock did not become ready:\n" + self.read_log())

    def stop(self, check=True):
        """SIGTERM and wait; with check, the exit must be clean (code 0)."""
        if not self.proc:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        self.log.close()
        if check and code != 0:
            raise AssertionError("sobot-mock exited %d:\n%s" % (code, self.read_log()))
        return code

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        self.log.close()

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.stop(check=exc_type is None)

    # ---- HTTP ----
    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def https_base_url(self):
        return "https://127.0.0.1:%d" % self.https_port

    def tls_context(self):
        """A verifying client context that trusts only the written certificate."""
        return ssl.create_default_context(cafile=self.cert_path)

    def connection(self, tls=False, timeout=10, context=None):
        if tls:
            ctx = context or ssl._create_unverified_context()
            return http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, tls=False, context=None, timeout=10):
        """Sends one request; body may be bytes, str, or a dict (sent as JSON)."""
        hdrs = dict(headers or {})
        if isinstance(body, dict) or isinstance(body, list):
            body = json.dumps(body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        conn = self.connection(tls=tls, timeout=timeout, context=context)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            return Reply(resp.status, resp.getheaders(), resp.read())
        finally:
            conn.close()

    def get(self, path, headers=None, tls=False, **query):
        if query:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(query)
        return self.request("GET", path, headers=headers, tls=tls)

    def post_json(self, path, obj, headers=None, tls=False):
        return self.request("POST", path, body=obj, headers=headers, tls=tls)

    def post_form(self, path, fields, headers=None, tls=False):
        hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
        hdrs.update(headers or {})
        return self.request("POST", path, body=urllib.parse.urlencode(fields), headers=hdrs, tls=tls)

    def admin(self, method, path, obj=None):
        """A control-plane call; returns (status, parsed JSON)."""
        reply = self.request(method, "/__admin/" + path.lstrip("/"), body=obj)
        try:
            return reply.status, reply.json
        except ValueError:
            return reply.status, reply.text

    # ---- vendor helpers ----
    def token(self, appid=EXAMPLE_APPID, app_key=EXAMPLE_APP_KEY, create_time=None):
        """Fetches a get_token token; returns the token string."""
        create_time = str(create_time or int(time.time()))
        reply = self.get("/api/get_token", appid=appid, create_time=create_time,
                         sign=md5(appid, create_time, app_key))
        body = reply.json
        assert body.get("ret_code") == "000000", body
        return body["item"]["token"]


class MockCase(unittest.TestCase):
    """A test class sharing one mock across its tests. Override new_mock to
    start it with other options."""

    mock = None

    @classmethod
    def new_mock(cls):
        return Mock()

    @classmethod
    def setUpClass(cls):
        cls.mock = cls.new_mock().start()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()


def main():
    unittest.main(verbosity=2)
