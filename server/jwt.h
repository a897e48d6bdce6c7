/*
 * jwt.h - HS256 JSON Web Tokens: the SSO login links' payload.
 *
 * Compact form only (header.payload.signature, base64url without padding),
 * header {"typ":"JWT","alg":"HS256"} as in the vendor's example link. The
 * module signs and verifies; what the claims mean (who, until when, which
 * options) is the caller's business, and so is reading the clock.
 */
#ifndef SOBOT_JWT_H
#define SOBOT_JWT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Longest token jwt_verify looks at; a login link is far shorter. */
#define JWT_MAX_LEN 4096

enum jwt_result {
    JWT_OK,
    JWT_MALFORMED,     /* not three base64url parts of JSON objects */
    JWT_BAD_ALGORITHM, /* header names anything but HS256 (e.g. "none") */
    JWT_BAD_SIGNATURE, /* signed with another key, or altered */
};

/* base64url without padding. Returns the encoded length, or 0 when out
 * (which gets a terminating NUL) is too small. */
size_t jwt_base64url_encode(const unsigned char *in, size_t len, char *out, size_t out_size);
/* Decodes len characters; false on a character outside the alphabet, an
 * impossible length, non-zero unused bits in the last character (only the
 * canonical spelling decodes) or a too small out. */
bool jwt_base64url_decode(const char *in, size_t len, unsigned char *out, size_t out_size,
                          size_t *out_len);

/* Signs the claims object; returns a malloc'd token (caller frees) or NULL. */
char *jwt_sign(const cJSON *claims, const unsigned char *key, size_t key_len);

/* Checks form, algorithm and signature; on JWT_OK *claims is the payload
 * object (caller frees with cJSON_Delete), else NULL. */
enum jwt_result jwt_verify(const char *token, const unsigned char *key, size_t key_len,
                           cJSON **claims);

/* A short phrase for diagnostics: "the signature does not match", ... */
const char *jwt_result_text(enum jwt_result result);

#endif
