/*
 * sign.h - MD5 signatures as the vendor computes them, compared in constant
 * time, and the masked explanation a rejected client is given.
 */
#ifndef SOBOT_SIGN_H
#define SOBOT_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#define SIGN_HEX_LEN 32

/* Lower-case hex MD5 of data (EVP). out holds 33 bytes. */
void sign_md5_hex(const void *data, size_t len, char out[SIGN_HEX_LEN + 1]);

/* MD5 of the plain concatenation of n parts, no separators. */
void sign_md5_concat(const char *const *parts, size_t n, char out[SIGN_HEX_LEN + 1]);

/* True when `given` is the 32-hex `expected`, in either case. Constant time
 * over the 32 characters. */
bool sign_matches(const char *given, const char *expected_lower_hex);

/* Masks a secret for diagnostics: keeps its length visible, shows at most the
 * first two characters of long secrets ("ab******"), none of short ones. */
void sign_mask(const char *secret, char *out, size_t size);

/* Shortens a token for listings: its first six characters and "..." when
 * longer, so a test can recognise it and nobody can use it. */
void sign_mask_prefix(const char *secret, char *out, size_t size);

/* Writes `out` = 32 random lower-case hex characters from RAND_bytes.
 * False when the random source failed. */
bool sign_random_hex(char out[SIGN_HEX_LEN + 1]);

#endif
