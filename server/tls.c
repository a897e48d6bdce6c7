/*
 * tls.c - the HTTPS listener's OpenSSL context, and the self-signed
 * certificate the mock makes when it is given none.
 *
 * Why a P-256 key: it is generated in well under a millisecond, so the mock
 * still starts at once; an RSA key would cost tens of milliseconds per start
 * of every test. The certificate names localhost, 127.0.0.1 and ::1, is its
 * own issuer and is valid from a day before start (so a client whose clock
 * lags a little still accepts it) for a year.
 *
 * Only the OpenSSL 3 API that is not deprecated is used. This module must
 * never write a private key anywhere, nor read the mock clock: certificates
 * are checked by clients against real time, so the caller passes real time.
 */
#include "tls.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

#define CERT_DAYS 365

static void openssl_reason(const char *what, char *err, size_t err_size)
{
    char reason[256] = "unknown error";
    unsigned long code = ERR_get_error();
    if (code)
        ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    snprintf(err, err_size, "%s: %s", what, reason);
}

static bool add_extension(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/* A random 127-bit serial: positive, and distinct per start so a client that
 * cached an earlier certificate of the mock does not confuse the two. */
static bool set_random_serial(X509 *cert)
{
    BIGNUM *bn = BN_new();
    bool ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok;
}

static bool set_names(X509 *cert)
{
    X509_NAME *name = X509_get_subject_name(cert);
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"sobot-mock",
                                      -1, -1, 0) == 1 &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost",
                                      -1, -1, 0) == 1 &&
           X509_set_issuer_name(cert, name) == 1;
}

static bool set_validity(X509 *cert, long long now_s)
{
    time_t now = (time_t)now_s;
    return X509_time_adj_ex(X509_getm_notBefore(cert), -1, 0, &now) &&
           X509_time_adj_ex(X509_getm_notAfter(cert), CERT_DAYS, 0, &now);
}

/* An end-entity certificate for the names a local client uses. */
static bool add_server_extensions(X509 *cert)
{
    return add_extension(cert, NID_basic_constraints, "critical,CA:FALSE") &&
           add_extension(cert, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
           add_extension(cert, NID_ext_key_usage, "serverAuth") &&
           add_extension(cert, NID_subject_key_identifier, "hash") &&
           add_extension(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
}

bool tls_make_self_signed(long long now_s, X509 **cert_out, EVP_PKEY **key_out)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *cert = X509_new();
    bool ok = key && cert && X509_set_version(cert, 2) == 1 && set_random_serial(cert) &&
              set_names(cert) && set_validity(cert, now_s) && X509_set_pubkey(cert, key) == 1 &&
              add_server_extensions(cert) && X509_sign(cert, key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        EVP_PKEY_free(key);
        return false;
    }
    *cert_out = cert;
    *key_out = key;
    return true;
}

static bool use_self_signed(SSL_CTX *ctx, char *err, size_t err_size)
{
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    if (!tls_make_self_signed(clock_real_ms() / 1000, &cert, &key)) {
        openssl_reason("cannot make a self-signed certificate", err, err_size);
        return false;
    }
    /* The context takes its own references. */
    bool ok = SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok)
        openssl_reason("cannot use the self-signed certificate", err, err_size);
    return ok;
}

static bool use_files(SSL_CTX *ctx, const char *cert_path, const char *key_path, char *err,
                      size_t err_size)
{
    char what[512];
    snprintf(what, sizeof what, "cannot load certificate %s", cert_path);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
        openssl_reason(what, err, err_size);
        return false;
    }
    snprintf(what, sizeof what, "cannot load private key %s", key_path);
    if (SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1) {
        /* OpenSSL checks the pair as it loads the key; name that case. */
        if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
            snprintf(what, sizeof what, "the private key %s does not match the certificate %s",
                     key_path, cert_path);
        openssl_reason(what, err, err_size);
        return false;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        openssl_reason("the private key does not match the certificate", err, err_size);
        return false;
    }
    return true;
}

SSL_CTX *tls_server_context(const char *cert_path, const char *key_path, char *err, size_t err_size)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        openssl_reason("cannot create a TLS context", err, err_size);
        return NULL;
    }
    /* TLS 1.2 and 1.3 only: what current clients speak, nothing weaker. */
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
    bool ok = cert_path ? use_files(ctx, cert_path, key_path, err, err_size)
                        : use_self_signed(ctx, err, err_size);
    if (!ok) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

bool tls_write_certificate(SSL_CTX *ctx, const char *path, char *err, size_t err_size)
{
    X509 *cert = SSL_CTX_get0_certificate(ctx);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    BIO *out = cert ? BIO_new_file(tmp, "w") : NULL;
    bool ok = out && PEM_write_bio_X509(out, cert) == 1;
    /* BIO_free flushes; a failed flush must not leave a half file behind. */
    ok = BIO_free(out) == 1 && ok && rename(tmp, path) == 0;
    if (!ok) {
        remove(tmp);
        snprintf(err, err_size, "cannot write the certificate to %s", path);
    }
    return ok;
}
