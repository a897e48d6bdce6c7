/*
 * admin/admin_tokens.c - /__admin/tokens/expire and /__admin/tokens/revoke.
 *
 * Both take exactly one of {"token":"<full token>"} or {"appid":"1"} (all of
 * that app's tokens). Expired tokens check as expired, revoked ones as
 * unknown: both answer 900002, with different diagnostics.
 */
#include <string.h>

#include "admin/admin.h"
#include "auth.h"
#include "tokens.h"

/* Reads the one key; answers 400 and returns false when the body is wrong. */
static bool read_target(const struct request *rq, const char **token, const char **appid,
                        struct reply *rp)
{
    static const char *const allowed[] = {"token", "appid", NULL};
    const cJSON *body = admin_body(rq);
    if (!admin_only_fields(body, allowed, rp))
        return false;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "token");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "appid");
    if (!t == !a || (t && (!cJSON_IsString(t) || !*t->valuestring)) ||
        (a && (!cJSON_IsString(a) || !*a->valuestring))) {
        reply_admin_error(rp, 400,
                          "send exactly one of {\"token\":\"<full token>\"} or "
                          "{\"appid\":\"<appid>\"} as a JSON object");
        return false;
    }
    *token = t ? t->valuestring : NULL;
    *appid = a ? a->valuestring : NULL;
    return true;
}

static void answer(struct reply *rp, const char *what, int count)
{
    if (count < 0) {
        reply_admin_error(rp, 500, "the store failed; see the mock's log");
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, what, count);
    reply_admin(rp, 200, root);
}

static void tokens_expire_post(struct request *rq, struct reply *rp)
{
    const char *token, *appid;
    if (read_target(rq, &token, &appid, rp))
        answer(rp, "expired", tokens_expire(token, appid));
}

static void tokens_revoke_post(struct request *rq, struct reply *rp)
{
    const char *token, *appid;
    if (read_target(rq, &token, &appid, rp))
        answer(rp, "revoked", tokens_revoke(token, appid));
}

static const struct route rows[] = {
    {"admin.tokens.expire", "POST", "/__admin/tokens/expire", &auth_none, tokens_expire_post,
     ENVELOPE_ADMIN, "token,appid", true},
    {"admin.tokens.revoke", "POST", "/__admin/tokens/revoke", &auth_none, tokens_revoke_post,
     ENVELOPE_ADMIN, "token,appid", true},
};

const struct route_slice admin_tokens_route_slice = ROUTE_SLICE(rows);
