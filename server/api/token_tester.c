/*
 * api/token_tester.c - API Management's "API Test" for a customer's
 * dynamic-token API: the mock plays Sobot and calls the customer's server.
 *
 *   POST /__admin/apimanage/external-token/test
 *   {"token_url": "...", "refresh_url": "...", "app_key": "...",
 *    "app_secret": "...", "method": "POST", "timeout_ms": 3000, "tls_verify": true}
 *
 * It calls token_url with app_key, timestamp (mock clock, ms) and
 * sign = md5(app_key + timestamp + app_secret), then, when refresh_url is
 * given and the first answer held a refresh_token, calls refresh_url with it,
 * and answers a report: every check, what was sent (secret masked) and what
 * came back (an excerpt). POST sends a JSON body, GET a query string.
 *
 * Why the control plane rather than a vendor-style path: the vendor offers
 * this as a console button, not an API; a user testing a token server wants
 * one curl call without fetching a Sobot token first; and the report is the
 * mock's own JSON, not a vendor envelope. --admin-token guards it like the
 * rest of /__admin/.
 *
 * Why synchronous: handlers answer in one go, so the worker thread waits on
 * the customer's server. The whole test (both calls) therefore shares one
 * deadline, timeout_ms, capped at TESTER_TIMEOUT_MAX_MS; other workers keep
 * serving meanwhile.
 *
 * This file must never do network I/O itself (http_client.c does) or build
 * an envelope by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin/admin.h"
#include "api/api.h"
#include "auth.h"
#include "clock.h"
#include "external_token.h"
#include "http_client.h"

#define TESTER_TIMEOUT_DEFAULT_MS 3000
#define TESTER_TIMEOUT_MAX_MS 10000 /* a worker may be held this long, no longer */
#define TESTER_MAX_RESPONSE 65536   /* bytes of an answer, headers included */
#define TESTER_EXCERPT 2048         /* bytes of an answer shown in the report */
#define TESTER_CHECKS (2 * EXTERNAL_CHECKS_PER_ANSWER + 1)

struct tester_input {
    const char *token_url;
    const char *refresh_url; /* NULL when not tested */
    const char *app_key;
    const char *app_secret;
    bool post;
    int timeout_ms;
    bool tls_verify;
};

/* ---- the input ---- */

static bool string_field(const cJSON *body, const char *name, bool required, const char **out,
                         struct reply *rp)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, name);
    *out = NULL;
    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !*item->valuestring)) {
        if (!required)
            return true;
        reply_admin_error(rp, 400, "%s is required (a non-empty string)", name);
        return false;
    }
    if (!cJSON_IsString(item)) {
        reply_admin_error(rp, 400, "%s must be a string", name);
        return false;
    }
    *out = item->valuestring;
    return true;
}

static bool url_field(const cJSON *body, const char *name, bool required, const char **out,
                      struct reply *rp)
{
    struct http_url url;
    char why[160];
    if (!string_field(body, name, required, out, rp))
        return false;
    if (!*out || http_url_parse(*out, &url, why, sizeof why))
        return true;
    reply_admin_error(rp, 400, "%s: %s", name, why);
    return false;
}

static bool options_fields(const cJSON *body, struct tester_input *in, struct reply *rp)
{
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(body, "method");
    const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(body, "timeout_ms");
    const cJSON *verify = cJSON_GetObjectItemCaseSensitive(body, "tls_verify");
    in->post = true;
    if (method && !(cJSON_IsString(method) && (!strcasecmp(method->valuestring, "GET") ||
                                               !strcasecmp(method->valuestring, "POST")))) {
        reply_admin_error(rp, 400, "method must be \"GET\" or \"POST\"");
        return false;
    }
    if (method)
        in->post = !strcasecmp(method->valuestring, "POST");
    in->timeout_ms = TESTER_TIMEOUT_DEFAULT_MS;
    if (timeout && !(cJSON_IsNumber(timeout) && timeout->valuedouble >= 1 &&
                     timeout->valuedouble <= TESTER_TIMEOUT_MAX_MS)) {
        reply_admin_error(rp, 400, "timeout_ms must be a number from 1 to %d",
                          TESTER_TIMEOUT_MAX_MS);
        return false;
    }
    if (timeout)
        in->timeout_ms = (int)timeout->valuedouble;
    in->tls_verify = true;
    if (verify && !cJSON_IsBool(verify)) {
        reply_admin_error(rp, 400, "tls_verify must be true or false");
        return false;
    }
    if (verify)
        in->tls_verify = cJSON_IsTrue(verify);
    return true;
}

static bool read_input(const struct request *rq, struct tester_input *in, struct reply *rp)
{
    static const char *const allowed[] = {"token_url", "refresh_url", "app_key",    "app_secret",
                                          "method",    "timeout_ms",  "tls_verify", NULL};
    const cJSON *body = admin_body(rq);
    if (!cJSON_IsObject(body)) {
        reply_admin_error(rp, 400,
                          "send a JSON object: token_url, app_key, app_secret, and "
                          "optionally refresh_url, method, timeout_ms, tls_verify");
        return false;
    }
    return admin_only_fields(body, allowed, rp) &&
           url_field(body, "token_url", true, &in->token_url, rp) &&
           url_field(body, "refresh_url", false, &in->refresh_url, rp) &&
           string_field(body, "app_key", true, &in->app_key, rp) &&
           string_field(body, "app_secret", true, &in->app_secret, rp) &&
           options_fields(body, in, rp);
}

/* ---- one call ---- */

/* What goes out: the parameters as a JSON body (POST) or a query (GET). */
struct outgoing {
    char *url;  /* malloc'd */
    char *body; /* malloc'd JSON, NULL for GET */
    cJSON *params;
};

static bool build_outgoing(const struct tester_input *in, const char *url, cJSON *params,
                           struct outgoing *out)
{
    const char *names[4], *values[4];
    size_t n = 0;
    memset(out, 0, sizeof *out);
    out->params = params;
    for (const cJSON *p = params->child; p && n < 4; p = p->next, n++) {
        names[n] = p->string;
        values[n] = p->valuestring; /* strings, and the raw timestamp digits */
    }
    if (in->post) {
        out->url = strdup(url);
        out->body = cJSON_PrintUnformatted(params);
        return out->url && out->body;
    }
    out->url = external_token_url_with_query(url, names, values, n);
    return out->url != NULL;
}

static void free_outgoing(struct outgoing *out)
{
    free(out->url);
    free(out->body);
    cJSON_Delete(out->params);
}

static cJSON *excerpt_json(const char *data, size_t len)
{
    char shown[TESTER_EXCERPT + 1];
    external_token_excerpt(data ? data : "", data ? len : 0, shown, sizeof shown);
    return cJSON_CreateString(shown);
}

static cJSON *response_json(const struct http_client_response *resp)
{
    cJSON *out = cJSON_CreateObject();
    bool answered = resp->result == HTTP_CLIENT_OK;
    const char *bytes = answered ? resp->body : resp->raw;
    size_t len = answered ? resp->body_len : resp->raw_len;
    if (answered)
        cJSON_AddNumberToObject(out, "status", resp->status);
    else
        cJSON_AddNullToObject(out, "status");
    cJSON_AddNumberToObject(out, "elapsed_ms", (double)resp->elapsed_ms);
    if (resp->error[0])
        cJSON_AddStringToObject(out, "error", resp->error);
    else
        cJSON_AddNullToObject(out, "error");
    /* Without a complete answer, show the raw bytes that did arrive. */
    cJSON_AddItemToObject(out, answered ? "body" : "raw", excerpt_json(bytes, len));
    cJSON_AddNumberToObject(out, answered ? "body_bytes" : "raw_bytes", (double)len);
    cJSON_AddBoolToObject(out, "truncated", len > TESTER_EXCERPT);
    return out;
}

static cJSON *request_json(const struct tester_input *in, const struct outgoing *out)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "method", in->post ? "POST" : "GET");
    cJSON_AddStringToObject(req, "url", out->url);
    if (in->post) {
        cJSON_AddStringToObject(req, "content_type", "application/json");
        cJSON_AddStringToObject(req, "body", out->body);
    }
    cJSON_AddItemToObject(req, "params", cJSON_Duplicate(out->params, true));
    return req;
}

/* Sends, and returns {"request":…, "response":…}; resp is filled. */
static cJSON *call(const struct tester_input *in, const struct outgoing *out, int timeout_ms,
                   struct http_client_response *resp)
{
    struct http_client_request req = {
        .method = in->post ? "POST" : "GET",
        .url = out->url,
        .content_type = in->post ? "application/json" : NULL,
        .body = out->body,
        .body_len = out->body ? strlen(out->body) : 0,
        .timeout_ms = timeout_ms,
        .max_response = TESTER_MAX_RESPONSE,
        .tls_verify = in->tls_verify,
        .user_agent = "sobot-mock/" SOBOT_MOCK_VERSION,
    };
    http_client_call(&req, resp);
    cJSON *exchange = cJSON_CreateObject();
    cJSON_AddItemToObject(exchange, "request", request_json(in, out));
    cJSON_AddItemToObject(exchange, "response", response_json(resp));
    return exchange;
}

/* ---- the two calls ---- */

static cJSON *obtain_params(const struct tester_input *in, int64_t timestamp)
{
    char sign[SIGN_HEX_LEN + 1], stamp[24];
    external_token_sign(in->app_key, timestamp, in->app_secret, sign);
    snprintf(stamp, sizeof stamp, "%lld", (long long)timestamp);
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "app_key", in->app_key);
    /* A JSON number (the page types it Long), printed exactly. */
    cJSON_AddRawToObject(params, "timestamp", stamp);
    cJSON_AddStringToObject(params, "sign", sign);
    return params;
}

static cJSON *sign_explained(const struct tester_input *in, const cJSON *params)
{
    char masked[160], text[512];
    sign_mask(in->app_secret, masked, sizeof masked);
    const cJSON *stamp = cJSON_GetObjectItemCaseSensitive(params, "timestamp");
    const cJSON *sign = cJSON_GetObjectItemCaseSensitive(params, "sign");
    snprintf(text, sizeof text,
             "sign = md5(app_key + timestamp + app_secret) = md5(\"%.128s\" + \"%s\" + "
             "\"%s\") = %s",
             in->app_key, stamp->valuestring, masked, sign->valuestring);
    return cJSON_CreateString(text);
}

static cJSON *obtain(const struct tester_input *in, struct external_check *checks,
                     struct external_answer *answer)
{
    struct outgoing out;
    struct http_client_response resp;
    cJSON *params = obtain_params(in, clock_now_ms());
    cJSON *explained = sign_explained(in, params);
    char masked[160];
    if (!build_outgoing(in, in->token_url, params, &out)) {
        free_outgoing(&out);
        cJSON_Delete(explained);
        return NULL;
    }
    cJSON *exchange = call(in, &out, in->timeout_ms, &resp);
    cJSON *sent = cJSON_GetObjectItemCaseSensitive(exchange, "request");
    sign_mask(in->app_secret, masked, sizeof masked);
    cJSON_AddStringToObject(sent, "app_secret", masked);
    cJSON_AddItemToObject(sent, "sign_formula", explained);
    external_token_judge("token", &resp, checks, answer);
    http_client_response_free(&resp);
    free_outgoing(&out);
    return exchange;
}

static cJSON *renew(const struct tester_input *in, const struct external_answer *first,
                    int timeout_ms, struct external_check *checks, struct external_answer *answer)
{
    struct outgoing out;
    struct http_client_response resp;
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "refresh_token", first->refresh_token);
    if (!build_outgoing(in, in->refresh_url, params, &out)) {
        free_outgoing(&out);
        return NULL;
    }
    cJSON *exchange = call(in, &out, timeout_ms, &resp);
    external_token_judge("refresh", &resp, checks, answer);
    http_client_response_free(&resp);
    free_outgoing(&out);
    return exchange;
}

/* ---- the report ---- */

static const char *result_name(enum external_check_result r)
{
    return r == EXTERNAL_PASS ? "pass" : r == EXTERNAL_FAIL ? "fail" : "skip";
}

static cJSON *report(const struct tester_input *in, const struct external_check *checks, size_t n,
                     cJSON *token_exchange, cJSON *refresh_exchange)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    cJSON *failed = cJSON_CreateArray();
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "name", checks[i].name);
        cJSON_AddStringToObject(c, "result", result_name(checks[i].result));
        cJSON_AddStringToObject(c, "detail", checks[i].detail);
        cJSON_AddItemToArray(list, c);
        /* A skipped refresh (no refresh_url) is no failure; any other skip
         * follows a failure already counted. */
        if (checks[i].result == EXTERNAL_FAIL) {
            ok = false;
            cJSON_AddItemToArray(failed, cJSON_CreateString(checks[i].name));
        }
    }
    cJSON_AddBoolToObject(root, "ok", ok);
    cJSON_AddItemToObject(root, "failed", failed);
    cJSON_AddItemToObject(root, "checks", list);
    cJSON_AddItemToObject(root, "token", token_exchange);
    cJSON_AddItemToObject(root, "refresh",
                          refresh_exchange ? refresh_exchange : cJSON_CreateNull());
    cJSON *limits = cJSON_AddObjectToObject(root, "limits");
    cJSON_AddNumberToObject(limits, "timeout_ms", in->timeout_ms);
    cJSON_AddNumberToObject(limits, "max_response_bytes", TESTER_MAX_RESPONSE);
    cJSON_AddNumberToObject(limits, "excerpt_bytes", TESTER_EXCERPT);
    return root;
}

static void external_token_test(struct request *rq, struct reply *rp)
{
    struct tester_input in;
    if (!read_input(rq, &in, rp))
        return;
    uint64_t started = clock_mono_ns();
    struct external_check checks[TESTER_CHECKS];
    struct external_answer *answers = calloc(2, sizeof *answers);
    cJSON *first = answers ? obtain(&in, checks, &answers[0]) : NULL;
    cJSON *second = NULL;
    if (!first) {
        free(answers);
        reply_admin_error(rp, 500, "out of memory preparing the test");
        return;
    }
    int left = in.timeout_ms - (int)((clock_mono_ns() - started) / 1000000);
    struct external_check *refresh = checks + EXTERNAL_CHECKS_PER_ANSWER;
    if (!in.refresh_url)
        external_token_skip("refresh", "skipped: no refresh_url given", refresh);
    else if (!answers[0].refresh_token[0])
        external_token_skip("refresh", "skipped: the token call gave no refresh_token", refresh);
    else if (left <= 0)
        external_token_skip("refresh", "skipped: timeout_ms used up by the token call", refresh);
    else
        second = renew(&in, &answers[0], left, refresh, &answers[1]);
    external_token_judge_renewal(&answers[0], &answers[1], &checks[TESTER_CHECKS - 1]);
    free(answers);
    reply_admin(rp, 200, report(&in, checks, TESTER_CHECKS, first, second));
}

static const struct route rows[] = {
    {"apimanage.external_token.test", "POST", "/__admin/apimanage/external-token/test", &auth_none,
     external_token_test, ENVELOPE_ADMIN,
     "!token_url,refresh_url,!app_key,!app_secret,method,timeout_ms:n,tls_verify", true},
};

const struct route_slice token_tester_route_slice = ROUTE_SLICE(rows);
