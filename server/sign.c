/*
 * sign.c - MD5 through OpenSSL's EVP interface (the MD5_* calls are
 * deprecated in OpenSSL 3), CRYPTO_memcmp for the comparison so the time a
 * check takes says nothing about how much of a sign was right.
 */
#include "sign.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* MD5 fetched once: EVP_md5() makes OpenSSL 3 look the algorithm up (under
 * a lock) at every digest; a fetched EVP_MD is shared by all threads. */
static EVP_MD *md5_method = NULL;
static pthread_once_t md5_once = PTHREAD_ONCE_INIT;

static void fetch_md5(void)
{
    md5_method = EVP_MD_fetch(NULL, "MD5", NULL);
}

static const EVP_MD *md5(void)
{
    pthread_once(&md5_once, fetch_md5);
    return md5_method ? md5_method : EVP_md5();
}

static void to_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void sign_md5_hex(const void *data, size_t len, char out[SIGN_HEX_LEN + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (!EVP_Digest(data, len, digest, &digest_len, md5(), NULL) || digest_len != 16) {
        memset(out, '0', SIGN_HEX_LEN);
        out[SIGN_HEX_LEN] = '\0';
        return;
    }
    to_hex(digest, 16, out);
}

void sign_md5_concat(const char *const *parts, size_t n, char out[SIGN_HEX_LEN + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, md5(), NULL);
    for (size_t i = 0; ok && i < n; i++)
        ok = EVP_DigestUpdate(ctx, parts[i] ? parts[i] : "", parts[i] ? strlen(parts[i]) : 0);
    ok = ok && EVP_DigestFinal_ex(ctx, digest, &digest_len) && digest_len == 16;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        memset(out, '0', SIGN_HEX_LEN);
        out[SIGN_HEX_LEN] = '\0';
        return;
    }
    to_hex(digest, 16, out);
}

bool sign_matches(const char *given, const char *expected_lower_hex)
{
    if (!given || strlen(given) != SIGN_HEX_LEN)
        return false;
    char lowered[SIGN_HEX_LEN];
    for (size_t i = 0; i < SIGN_HEX_LEN; i++) {
        char c = given[i];
        lowered[i] = (c >= 'A' && c <= 'F') ? (char)(c + 32) : c;
    }
    return CRYPTO_memcmp(lowered, expected_lower_hex, SIGN_HEX_LEN) == 0;
}

void sign_mask(const char *secret, char *out, size_t size)
{
    if (!size)
        return;
    size_t len = secret ? strlen(secret) : 0;
    size_t shown = len >= 8 ? 2 : 0;
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++)
        out[n++] = i < shown ? secret[i] : '*';
    out[n] = '\0';
}

void sign_mask_prefix(const char *secret, char *out, size_t size)
{
    snprintf(out, size, "%.6s%s", secret, strlen(secret) > 6 ? "..." : "");
}

bool sign_random_hex(char out[SIGN_HEX_LEN + 1])
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    to_hex(bytes, sizeof bytes, out);
    return true;
}
