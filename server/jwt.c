/*
 * jwt.c - HS256 signing and verification with OpenSSL's one-shot MAC.
 *
 * Verification never trusts the header beyond refusing it: the algorithm is
 * fixed to HS256, so a token whose header says "none" or "RS256" is refused
 * before any key is used (the classic JWT confusion attacks). Signatures are
 * compared in constant time. This module must never read the clock or the
 * store: expiry and single use are the caller's checks.
 */
#include "jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define HS256_LEN 32

static const char header_json[] = "{\"typ\":\"JWT\",\"alg\":\"HS256\"}";
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t jwt_base64url_encode(const unsigned char *in, size_t len, char *out, size_t out_size)
{
    size_t need = len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
    if (need + 1 > out_size)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned long)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[n++] = alphabet[(v >> 18) & 63];
        out[n++] = alphabet[(v >> 12) & 63];
        if (i + 1 < len)
            out[n++] = alphabet[(v >> 6) & 63];
        if (i + 2 < len)
            out[n++] = alphabet[v & 63];
    }
    out[n] = '\0';
    return n;
}

static int sextet(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

bool jwt_base64url_decode(const char *in, size_t len, unsigned char *out, size_t out_size,
                          size_t *out_len)
{
    /* One leftover character carries only six bits: no byte ends there. */
    if (len % 4 == 1 || len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0) > out_size)
        return false;
    size_t n = 0;
    unsigned long acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet(in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6 | (unsigned long)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    /* The bits of the last character past the last byte must be zero: were
     * they free, "Zg" and "Zh" would both decode to "f", and one signature
     * would have several spellings, each a different link that verifies. */
    if (acc & ((1ul << bits) - 1))
        return false;
    *out_len = n;
    return true;
}

static bool hs256(const unsigned char *key, size_t key_len, const char *data, size_t len,
                  unsigned char mac[HS256_LEN])
{
    size_t mac_len = 0;
    return EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_len, (const unsigned char *)data,
                     len, mac, HS256_LEN, &mac_len) != NULL &&
           mac_len == HS256_LEN;
}

/* "<base64url header>.<base64url payload>", malloc'd. */
static char *signing_input(const char *payload_json)
{
    size_t header_len = strlen(header_json), payload_len = strlen(payload_json);
    size_t size = (header_len + payload_len) / 3 * 4 + 16;
    char *out = malloc(size);
    if (!out)
        return NULL;
    size_t n = jwt_base64url_encode((const unsigned char *)header_json, header_len, out, size);
    out[n++] = '.';
    jwt_base64url_encode((const unsigned char *)payload_json, payload_len, out + n, size - n);
    return out;
}

char *jwt_sign(const cJSON *claims, const unsigned char *key, size_t key_len)
{
    char *payload = cJSON_PrintUnformatted(claims);
    char *input = payload ? signing_input(payload) : NULL;
    free(payload);
    if (!input)
        return NULL;
    unsigned char mac[HS256_LEN];
    size_t input_len = strlen(input);
    char *token = malloc(input_len + 1 + 44);
    if (!token || !hs256(key, key_len, input, input_len, mac)) {
        free(input);
        free(token);
        return NULL;
    }
    /* The signature and its NUL follow at token + input_len. */
    memcpy(token, input, input_len); // NOLINT(bugprone-not-null-terminated-result)
    token[input_len] = '.';
    jwt_base64url_encode(mac, sizeof mac, token + input_len + 1, 44);
    free(input);
    return token;
}

/* Decodes one part into a JSON object (NULL when it is not one). */
static cJSON *decode_object(const char *part, size_t len)
{
    unsigned char buf[JWT_MAX_LEN];
    size_t n;
    if (!jwt_base64url_decode(part, len, buf, sizeof buf, &n))
        return NULL;
    cJSON *obj = cJSON_ParseWithLength((const char *)buf, n);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

static bool header_is_hs256(const cJSON *header)
{
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    return cJSON_IsString(alg) && !strcmp(alg->valuestring, "HS256");
}

static bool signature_matches(const char *token, size_t signed_len, const char *sig, size_t sig_len,
                              const unsigned char *key, size_t key_len)
{
    unsigned char given[HS256_LEN + 4], expected[HS256_LEN];
    size_t given_len;
    return jwt_base64url_decode(sig, sig_len, given, sizeof given, &given_len) &&
           given_len == HS256_LEN && hs256(key, key_len, token, signed_len, expected) &&
           CRYPTO_memcmp(given, expected, HS256_LEN) == 0;
}

enum jwt_result jwt_verify(const char *token, const unsigned char *key, size_t key_len,
                           cJSON **claims)
{
    *claims = NULL;
    size_t len = token ? strnlen(token, JWT_MAX_LEN + 1) : 0;
    const char *dot1 = len && len <= JWT_MAX_LEN ? strchr(token, '.') : NULL;
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.'))
        return JWT_MALFORMED;
    cJSON *header = decode_object(token, (size_t)(dot1 - token));
    cJSON *payload = decode_object(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    enum jwt_result result = JWT_OK;
    if (!header || !payload)
        result = JWT_MALFORMED;
    else if (!header_is_hs256(header))
        result = JWT_BAD_ALGORITHM;
    else if (!signature_matches(token, (size_t)(dot2 - token), dot2 + 1,
                                len - (size_t)(dot2 + 1 - token), key, key_len))
        result = JWT_BAD_SIGNATURE;
    cJSON_Delete(header);
    if (result == JWT_OK)
        *claims = payload;
    else
        cJSON_Delete(payload);
    return result;
}

const char *jwt_result_text(enum jwt_result result)
{
    switch (result) {
    case JWT_OK:
        return "valid";
    case JWT_MALFORMED:
        return "not a well-formed JWT (three base64url parts of JSON objects)";
    case JWT_BAD_ALGORITHM:
        return "its header names an algorithm other than HS256";
    case JWT_BAD_SIGNATURE:
        return "its signature does not match (altered, or signed by another mock start)";
    }
    return "invalid";
}
