/*
 * test_tls.c - the self-signed certificate: names, validity, signature, and
 * the context that serves it and writes it out.
 */
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tls.h"

static void self_signed_certificate(void)
{
    const long long now = 1795000000; /* any fixed instant */
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    CHECK(tls_make_self_signed(now, &cert, &key));
    CHECK(X509_verify(cert, key) == 1);
    CHECK(X509_check_host(cert, "localhost", 0, 0, NULL) == 1);
    CHECK(X509_check_ip_asc(cert, "127.0.0.1", 0) == 1);
    CHECK(X509_check_ip_asc(cert, "::1", 0) == 1);
    CHECK(X509_check_host(cert, "sobot.example", 0, 0, NULL) != 1);
    time_t before = (time_t)now - 3600, after = (time_t)now + 300 * 86400;
    CHECK(X509_cmp_time(X509_get0_notBefore(cert), &before) < 0);
    CHECK(X509_cmp_time(X509_get0_notAfter(cert), &after) > 0);
    CHECK(X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, 0) == 1);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void context_writes_its_certificate(void)
{
    char err[256] = "", path[] = "/tmp/sobot-mock-test-tls-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    SSL_CTX *ctx = tls_server_context(NULL, NULL, err, sizeof err);
    CHECK(ctx != NULL);
    CHECK(SSL_CTX_get_min_proto_version(ctx) == TLS1_2_VERSION);
    CHECK(tls_write_certificate(ctx, path, err, sizeof err));
    FILE *f = fopen(path, "r");
    X509 *written = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    CHECK(written && X509_cmp(written, SSL_CTX_get0_certificate(ctx)) == 0);
    X509_free(written);
    CHECK(!tls_write_certificate(ctx, "/nonexistent-dir/cert.pem", err, sizeof err));
    CHECK(strstr(err, "/nonexistent-dir/cert.pem") != NULL);
    SSL_CTX_free(ctx);
    remove(path);
    CHECK(tls_server_context("/nonexistent.pem", "/nonexistent.key", err, sizeof err) == NULL);
    CHECK(strstr(err, "cannot load certificate") != NULL);
}

int main(void)
{
    self_signed_certificate();
    context_writes_its_certificate();
    return check_summary();
}
