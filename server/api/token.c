/*
 * api/token.c - GET /api/get_token, the v5 open platform's credential.
 *
 *   sign = md5(appid + create_time + app_key), lower-case hex (upper accepted)
 *
 * The live service answers an unknown appid with 900004 before looking at the
 * sign, and applies no freshness window to create_time (FACTS.md): a client
 * may send any time in seconds. A missing or non-numeric create_time or a
 * missing sign cannot match any signature and gets 900003.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth.h"
#include "sign.h"
#include "store/store.h"
#include "tokens.h"

static bool check_app(struct request *rq, struct reply *rp, const char *appid,
                      struct store_app *app)
{
    if (!appid || !*appid) {
        reply_vendor_error(rq, rp, "900004", NULL);
        reply_diag(rp, "missing parameter appid (query: appid, create_time, sign)");
        return false;
    }
    enum store_result r = store_app_get(appid, app);
    if (r == STORE_OK)
        return true;
    if (r == STORE_NOT_FOUND) {
        reply_vendor_error(rq, rp, "900004", NULL);
        reply_diag(rp, "appid '%.64s' is not configured in the fixtures", appid);
    } else {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading app '%.64s'", appid);
    }
    return false;
}

static bool check_sign(struct request *rq, struct reply *rp, const struct store_app *app)
{
    const char *create_time = request_param(rq, "create_time");
    const char *sign = request_param(rq, "sign");
    if (!params_all_digits(create_time)) {
        reply_vendor_error(rq, rp, "900003", NULL);
        reply_diag(rp, "create_time must be a timestamp in seconds (digits only), got '%.32s'",
                   create_time ? create_time : "(missing)");
        return false;
    }
    const char *parts[] = {app->appid, create_time, app->app_key};
    char expected[SIGN_HEX_LEN + 1], masked[128];
    sign_md5_concat(parts, 3, expected);
    if (sign_matches(sign, expected))
        return true;
    sign_mask(app->app_key, masked, sizeof masked);
    reply_vendor_error(rq, rp, "900003", NULL);
    reply_diag(rp,
               "expected sign = md5(appid + create_time + app_key) = md5(\"%s\" + \"%s\" + "
               "\"%s\") = %s; got '%.40s'",
               app->appid, create_time, masked, expected, sign ? sign : "(missing)");
    return false;
}

static void get_token(struct request *rq, struct reply *rp)
{
    struct store_app app;
    if (!check_app(rq, rp, request_param(rq, "appid"), &app) || !check_sign(rq, rp, &app))
        return;
    char token[SIGN_HEX_LEN + 1];
    int64_t expires_in;
    /* Coverage warns about refetching a still-valid token (the docs' pitfall). */
    tokens_live_since(app.appid, &rq->caller.previous_token_issued_ms);
    if (!tokens_issue(app.appid, token, &expires_in)) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the token could not be stored");
        return;
    }
    snprintf(rq->caller.appid, sizeof rq->caller.appid, "%s", app.appid);
    char life[24];
    snprintf(life, sizeof life, "%lld", (long long)expires_in);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "token", token);
    /* A string, as documented: clients parse it with Long.parseLong. */
    cJSON_AddStringToObject(item, "expires_in", life);
    reply_v5_ok(rp, item);
}

static const struct route rows[] = {
    {"get_token", "GET", "/api/get_token", &auth_none, get_token, ENVELOPE_V5,
     "!appid,!create_time:s,!sign", false},
};

const struct route_slice token_route_slice = ROUTE_SLICE(rows);
