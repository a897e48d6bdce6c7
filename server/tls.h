/*
 * tls.h - the HTTPS listener's OpenSSL context and its certificate.
 *
 * The certificate comes from --tls-cert/--tls-key when given; otherwise a
 * self-signed one for localhost (and 127.0.0.1, ::1) is made in memory at
 * start. --tls-cert-out writes the certificate in use so a client can trust
 * it. Nothing else here touches the disk, and no private key is ever written.
 */
#ifndef SOBOT_TLS_H
#define SOBOT_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

/* A server context for TLS 1.2 and 1.3 holding the configured or a freshly
 * made certificate. NULL with a reason in err on failure. Free with
 * SSL_CTX_free. */
SSL_CTX *tls_server_context(const char *cert_path, const char *key_path, char *err,
                            size_t err_size);

/* Writes the context's certificate as PEM to path (whole, via a temporary
 * name). False with a reason in err. */
bool tls_write_certificate(SSL_CTX *ctx, const char *path, char *err, size_t err_size);

/* A self-signed certificate and key for localhost, valid from a day before
 * `now_s` for a year. Exposed for the unit test. */
bool tls_make_self_signed(long long now_s, X509 **cert, EVP_PKEY **key);

#endif
