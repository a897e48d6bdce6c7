/*
 * tokens.h - get_token's tokens: issue, check, replace, expire.
 *
 * A token is 32 hex characters from RAND_bytes. By default a new token for an
 * app replaces the previous one (the vendor's "a new token is returned and
 * its expiry reset"); --keep-old-tokens keeps earlier ones valid until they
 * expire. Life comes from --token-life and the mock clock.
 */
#ifndef SOBOT_TOKENS_H
#define SOBOT_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum token_state { TOKEN_VALID, TOKEN_UNKNOWN, TOKEN_REPLACED, TOKEN_EXPIRED, TOKEN_ERROR };

/* Times in mock-clock milliseconds. */
struct token_check {
    char appid[64];
    char company_id[64];
    int64_t issued_ms;
    int64_t expires_ms;
    int64_t replaced_ms; /* 0 when not replaced */
    int64_t now_ms;
};

/* Issues a new token for appid; out holds 33 bytes. False on a store or
 * random-source failure. */
bool tokens_issue(const char *appid, char out[33], int64_t *expires_in_s);

/* Checks a token against the store and the mock clock. */
enum token_state tokens_check(const char *token, struct token_check *out);

/* One sentence for the diagnostic header saying why a token was refused. */
void tokens_explain(enum token_state state, const struct token_check *check, char *out,
                    size_t size);

#endif
