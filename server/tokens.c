/*
 * tokens.c - the token rules on top of the store and the mock clock.
 */
#include "tokens.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "sign.h"
#include "store/store.h"

bool tokens_issue(const char *appid, char out[33], int64_t *expires_in_s)
{
    struct store_token row = {0};
    if (!sign_random_hex(row.token))
        return false;
    snprintf(row.appid, sizeof row.appid, "%s", appid);
    row.issued_ms = clock_now_ms();
    row.expires_ms = row.issued_ms + (int64_t)config.token_life_s * 1000;
    if (store_token_insert(&row, !config.keep_old_tokens) != STORE_OK)
        return false;
    memcpy(out, row.token, 33);
    *expires_in_s = config.token_life_s;
    return true;
}

int tokens_expire(const char *token, const char *appid)
{
    int count;
    return store_tokens_expire(token, appid, clock_now_ms(), &count) == STORE_OK ? count : -1;
}

int tokens_revoke(const char *token, const char *appid)
{
    int count;
    return store_tokens_revoke(token, appid, &count) == STORE_OK ? count : -1;
}

bool tokens_replace(const char *token)
{
    struct token_check check;
    if (tokens_check(token, &check) != TOKEN_VALID)
        return false;
    struct store_token row = {0};
    if (!sign_random_hex(row.token))
        return false;
    snprintf(row.appid, sizeof row.appid, "%s", check.appid);
    row.issued_ms = check.now_ms;
    row.expires_ms = row.issued_ms + (int64_t)config.token_life_s * 1000;
    return store_token_insert(&row, true) == STORE_OK;
}

bool tokens_live_since(const char *appid, int64_t *issued_ms)
{
    return store_token_live_since(appid, clock_now_ms(), issued_ms) == STORE_OK;
}

enum token_state tokens_check(const char *token, struct token_check *out)
{
    memset(out, 0, sizeof *out);
    out->now_ms = clock_now_ms();
    if (strlen(token) != SIGN_HEX_LEN)
        return TOKEN_UNKNOWN;
    struct store_token row;
    enum store_result r = store_token_get(token, &row);
    if (r == STORE_NOT_FOUND)
        return TOKEN_UNKNOWN;
    if (r != STORE_OK)
        return TOKEN_ERROR;
    snprintf(out->appid, sizeof out->appid, "%s", row.appid);
    snprintf(out->company_id, sizeof out->company_id, "%s", row.company_id);
    out->issued_ms = row.issued_ms;
    out->expires_ms = row.expires_ms;
    out->replaced_ms = row.replaced_ms;
    if (row.replaced_ms)
        return TOKEN_REPLACED;
    if (out->now_ms >= row.expires_ms)
        return TOKEN_EXPIRED;
    return TOKEN_VALID;
}

void tokens_explain(enum token_state state, const struct token_check *check, char *out, size_t size)
{
    char when[20];
    switch (state) {
    case TOKEN_VALID:
        snprintf(out, size, "token valid for app %s", check->appid);
        break;
    case TOKEN_UNKNOWN:
        snprintf(out, size,
                 "token unknown: it was never issued by this mock (or the state "
                 "was reset); fetch one from /api/get_token");
        break;
    case TOKEN_REPLACED:
        clock_format_datetime(check->replaced_ms / 1000, when);
        snprintf(out, size,
                 "token replaced: app %s called get_token again at %s (mock clock, UTC+8) and "
                 "the new token replaced this one; share one token per app",
                 check->appid, when);
        break;
    case TOKEN_EXPIRED:
        clock_format_datetime(check->expires_ms / 1000, when);
        snprintf(out, size, "token expired at %s (mock clock, UTC+8), %lld s ago; fetch a new one",
                 when, (long long)((check->now_ms - check->expires_ms) / 1000));
        break;
    case TOKEN_ERROR:
        snprintf(out, size, "the token store failed; see the mock's log");
        break;
    }
}
