"""The HTTPS listener: ports, the ready line, the certificate (made or given,
written for clients to trust), TLS versions, and clients that do not speak
TLS properly."""
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import MockCase, BIN, EXAMPLE_CREATE_TIME, EXAMPLE_SIGN, Mock, main

GET_TOKEN = "/api/get_token?appid=1&create_time=%s&sign=%s" % (EXAMPLE_CREATE_TIME, EXAMPLE_SIGN)


def port_file_lines(mock):
    with open(os.path.join(mock.tmp, "ports")) as f:
        return f.read().split("\n")


def run_bin(*args, timeout=20):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=timeout)


class Listener(MockCase):
    @classmethod
    def new_mock(cls):
        return Mock(https=True, cert_out=True)

    def test_port_file_and_ready_line_name_both(self):
        lines = port_file_lines(self.mock)
        self.assertEqual(lines[:2], [str(self.mock.port), str(self.mock.https_port)])
        self.assertNotEqual(self.mock.port, self.mock.https_port)
        self.assertIn("ready on http://127.0.0.1:%d/ and https://127.0.0.1:%d/"
                      % (self.mock.port, self.mock.https_port), self.mock.read_log())

    def test_same_routes_over_https_with_a_verifying_client(self):
        ctx = self.mock.tls_context()
        r = self.mock.request("GET", GET_TOKEN, tls=True, context=ctx)
        self.assertEqual(r.json["ret_code"], "000000")
        self.assertEqual(self.mock.request("GET", "/__admin/health", tls=True, context=ctx).status, 200)

    def test_certificate_names_localhost_and_loopback(self):
        ctx = self.mock.tls_context()
        for host in ("localhost", "127.0.0.1"):
            with socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as s:
                    peer = s.getpeercert()
                    names = dict(rdn[0] for rdn in peer["subject"])
                    self.assertEqual(names["commonName"], "localhost")
                    sans = peer["subjectAltName"]
                    self.assertIn(("DNS", "localhost"), sans)
                    self.assertIn(("IP Address", "127.0.0.1"), sans)

    def test_a_wrong_name_is_refused_by_a_verifying_client(self):
        ctx = self.mock.tls_context()
        with socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10) as raw:
            with self.assertRaises(ssl.SSLCertVerificationError):
                ctx.wrap_socket(raw, server_hostname="sobot.example")

    def test_tls_1_2_and_1_3(self):
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = self.mock.tls_context()
            ctx.minimum_version = ctx.maximum_version = version
            with socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                    self.assertEqual(s.version(), {ssl.TLSVersion.TLSv1_2: "TLSv1.2",
                                                   ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version])
                    s.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n"
                              b"Connection: close\r\n\r\n")
                    self.assertTrue(s.recv(100).startswith(b"HTTP/1.1 200"))

    def test_plain_http_to_the_tls_port_is_dropped_cleanly(self):
        with socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10) as s:
            s.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
            self.assertNotIn(b"200 OK", data)
        self.assertEqual(self.mock.request("GET", "/__admin/health", tls=True).status, 200)

    def test_broken_handshakes_do_not_disturb_other_connections(self):
        # One client stalls mid-handshake, one sends garbage, one hangs up
        # after the ClientHello; the others are served meanwhile.
        stalled = socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10)
        stalled.sendall(b"\x16\x03\x01\x00\xff")  # a record header promising more
        garbage = socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10)
        garbage.sendall(os.urandom(512))
        outgoing = ssl.MemoryBIO()
        client = ssl.create_default_context().wrap_bio(ssl.MemoryBIO(), outgoing,
                                                       server_hostname="localhost")
        with self.assertRaises(ssl.SSLWantReadError):
            client.do_handshake()
        quitter = socket.create_connection(("127.0.0.1", self.mock.https_port), timeout=10)
        quitter.sendall(outgoing.read())  # the ClientHello, then gone
        quitter.close()
        try:
            for _ in range(5):
                self.assertEqual(self.mock.request("GET", "/__admin/health", tls=True).status, 200)
                self.assertEqual(self.mock.get("/__admin/health").status, 200)
        finally:
            stalled.close()
            garbage.close()
        self.assertEqual(self.mock.request("GET", "/__admin/health", tls=True).status, 200)


class Settings(unittest.TestCase):
    def test_off(self):
        with Mock(https=False) as m:
            self.assertIsNone(m.https_port)
            self.assertEqual(port_file_lines(m)[1], "off")
            self.assertIn("ready on http://127.0.0.1:%d/\n" % m.port, m.read_log())
            self.assertNotIn("https://", m.read_log())

    def test_environment_variable(self):
        # The harness always passes --https-port (a flag beats the
        # environment), so this one starts the binary itself.
        port_file = os.path.join(tempfile.mkdtemp(), "ports")
        env = dict(os.environ, SOBOT_MOCK_HTTPS_PORT="0")
        proc = subprocess.Popen([BIN, "--port", "0", "--port-file", port_file, "--threads", "1",
                                 "--quiet"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 20
            while not os.path.exists(port_file) and proc.poll() is None and time.time() < deadline:
                time.sleep(0.01)
            with open(port_file) as f:
                lines = f.read().split()
            self.assertTrue(lines[1].isdigit() and lines[1] not in ("0", "8443"), lines)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=30), 0)

    def test_bad_values_are_usage_errors(self):
        for args in (["--https-port", "abc"], ["--https-port", "70000"],
                     ["--tls-cert", "x.pem"], ["--sso-secret", ""]):
            r = run_bin(*args)
            self.assertEqual(r.returncode, 2, args)

    def test_each_start_makes_a_new_certificate(self):
        with Mock(https=True, cert_out=True) as a, Mock(https=True, cert_out=True) as b:
            with open(a.cert_path) as fa, open(b.cert_path) as fb:
                self.assertNotEqual(fa.read(), fb.read())
            # Each client trusts only its own mock's certificate.
            with self.assertRaises(ssl.SSLError):
                b.request("GET", "/__admin/health", tls=True, context=a.tls_context())


@unittest.skipUnless(shutil.which("openssl"), "the openssl command is needed to make a certificate")
class GivenCertificate(unittest.TestCase):
    def make_pair(self, directory, name):
        cert, key = os.path.join(directory, name + ".pem"), os.path.join(directory, name + ".key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        return cert, key

    def test_given_certificate_is_served_and_written_out(self):
        d = tempfile.mkdtemp()
        cert, key = self.make_pair(d, "given")
        with Mock("--tls-cert", cert, "--tls-key", key, https=True, cert_out=True) as m:
            ctx = ssl.create_default_context(cafile=cert)
            self.assertEqual(m.request("GET", "/__admin/health", tls=True, context=ctx).status, 200)
            with open(cert) as given, open(m.cert_path) as written:
                self.assertEqual(given.read().strip(), written.read().strip())
            self.assertFalse(any(n.endswith(".key") for n in os.listdir(m.tmp)))

    def test_a_key_that_does_not_match_stops_the_start(self):
        d = tempfile.mkdtemp()
        cert, _ = self.make_pair(d, "one")
        _, other_key = self.make_pair(d, "two")
        r = run_bin("--port", "0", "--https-port", "0", "--tls-cert", cert, "--tls-key", other_key)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("does not match", r.stderr + r.stdout)

    def test_a_missing_file_stops_the_start(self):
        r = run_bin("--port", "0", "--https-port", "0", "--tls-cert", "/nonexistent/c.pem",
                    "--tls-key", "/nonexistent/k.pem")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot load certificate", r.stderr + r.stdout)


if __name__ == "__main__":
    main()
