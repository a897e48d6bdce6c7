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

/* Control-plane and fault actions. Each takes a full token, or (token NULL)
 * an appid for all of that app's tokens, and returns how many tokens changed,
 * or -1 when the store failed. */
int tokens_expire(const char *token, const char *appid);
int tokens_revoke(const char *token, const char *appid);

/* Replaces a live token as a second get_token for its app would: a new token
 * is issued (and dropped) and `token` now checks as replaced, even under
 * --keep-old-tokens. False when the token is not live or the store failed. */
bool tokens_replace(const char *token);

/* When the app still holds a live token, its issue time (mock-clock ms) in
 * *issued_ms and true: get_token asked again while the previous one was valid. */
bool tokens_live_since(const char *appid, int64_t *issued_ms);

/* One sentence for the diagnostic header saying why a token was refused. */
void tokens_explain(enum token_state state, const struct token_check *check, char *out,
                    size_t size);

#endif
