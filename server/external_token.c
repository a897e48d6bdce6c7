/*
 * external_token.c - builds the requests Sobot sends to a customer's token
 * endpoints and judges the answers (see external_token.h for the contract).
 *
 * The judging mirrors what a Sobot flow needs to go on: a reachable server,
 * HTTP 200, a JSON object, "code" exactly the string "000000", and non-empty
 * string tokens under "data". Each failure says what was found instead, since
 * the user reading the report is fixing their server.
 *
 * This file must never do I/O or read a clock.
 */
#include "external_token.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void external_token_sign(const char *app_key, int64_t timestamp_ms, const char *app_secret,
                         char out[SIGN_HEX_LEN + 1])
{
    char stamp[24];
    snprintf(stamp, sizeof stamp, "%lld", (long long)timestamp_ms);
    const char *parts[] = {app_key, stamp, app_secret};
    sign_md5_concat(parts, 3, out);
}

/* RFC 3986 unreserved characters pass; everything else is %XX. */
static size_t percent_encode(const char *text, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            if (out)
                out[n] = (char)*p;
            n++;
        } else {
            if (out) {
                out[n] = '%';
                out[n + 1] = hex[*p >> 4];
                out[n + 2] = hex[*p & 15];
            }
            n += 3;
        }
    }
    return n;
}

char *external_token_url_with_query(const char *url, const char *const *names,
                                    const char *const *values, size_t n)
{
    size_t len = strlen(url) + 1;
    for (size_t i = 0; i < n; i++)
        len += percent_encode(names[i], NULL) + percent_encode(values[i], NULL) + 2;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t at = (size_t)sprintf(out, "%s", url);
    char sep = strchr(url, '?') ? '&' : '?';
    if (sep == '&' && at > 0 && (out[at - 1] == '?' || out[at - 1] == '&'))
        sep = 0; /* the URL already ends where a parameter may start */
    for (size_t i = 0; i < n; i++) {
        if (sep)
            out[at++] = sep;
        sep = '&';
        at += percent_encode(names[i], out + at);
        out[at++] = '=';
        at += percent_encode(values[i], out + at);
    }
    out[at] = '\0';
    return out;
}

static void set_check(struct external_check *c, const char *prefix, const char *name,
                      enum external_check_result result, const char *detail)
{
    snprintf(c->name, sizeof c->name, "%s.%s", prefix, name);
    c->result = result;
    snprintf(c->detail, sizeof c->detail, "%s", detail);
}

static const char *const check_names[EXTERNAL_CHECKS_PER_ANSWER] = {
    "reachable", "http_200", "json", "code", "access_token", "refresh_token",
};

void external_token_skip(const char *prefix, const char *why,
                         struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER])
{
    for (int i = 0; i < EXTERNAL_CHECKS_PER_ANSWER; i++)
        set_check(&checks[i], prefix, check_names[i], EXTERNAL_SKIP, why);
}

/* Checks from `from` on are skipped because check `from - 1` failed. */
static void skip_rest(const char *prefix, int from,
                      struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER])
{
    char why[80];
    snprintf(why, sizeof why, "skipped: %s.%s failed", prefix, check_names[from - 1]);
    for (int i = from; i < EXTERNAL_CHECKS_PER_ANSWER; i++)
        set_check(&checks[i], prefix, check_names[i], EXTERNAL_SKIP, why);
}

static const char *json_type(const cJSON *item)
{
    if (!item)
        return "missing";
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNull(item))
        return "null";
    if (cJSON_IsArray(item))
        return "an array";
    return "an object";
}

static bool judge_transport(const char *prefix, const struct http_client_response *resp,
                            struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER])
{
    char detail[300];
    if (!resp->connected) {
        set_check(&checks[0], prefix, "reachable", EXTERNAL_FAIL, resp->error);
        skip_rest(prefix, 1, checks);
        return false;
    }
    set_check(&checks[0], prefix, "reachable", EXTERNAL_PASS, "connected");
    if (resp->result != HTTP_CLIENT_OK) {
        set_check(&checks[1], prefix, "http_200", EXTERNAL_FAIL, resp->error);
        skip_rest(prefix, 2, checks);
        return false;
    }
    if (resp->status != 200) {
        snprintf(detail, sizeof detail, "HTTP status %d, expected 200", resp->status);
        set_check(&checks[1], prefix, "http_200", EXTERNAL_FAIL, detail);
        skip_rest(prefix, 2, checks);
        return false;
    }
    set_check(&checks[1], prefix, "http_200", EXTERNAL_PASS, "HTTP 200");
    return true;
}

static bool judge_code(const char *prefix, const cJSON *root,
                       struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER])
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
    char detail[300];
    if (cJSON_IsString(code) && !strcmp(code->valuestring, "000000")) {
        set_check(&checks[3], prefix, "code", EXTERNAL_PASS, "\"code\":\"000000\"");
        return true;
    }
    if (cJSON_IsString(code))
        snprintf(detail, sizeof detail, "\"code\" is \"%.64s\", expected \"000000\"",
                 code->valuestring);
    else
        snprintf(detail, sizeof detail, "\"code\" is %s, expected the string \"000000\"",
                 json_type(code));
    set_check(&checks[3], prefix, "code", EXTERNAL_FAIL, detail);
    skip_rest(prefix, 4, checks);
    return false;
}

/* One of data.access_token / data.refresh_token into out. */
static bool judge_token(const char *prefix, const cJSON *data, const char *name,
                        struct external_check *check, char out[EXTERNAL_TOKEN_MAX])
{
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(data, name);
    char detail[300];
    if (!cJSON_IsObject(data)) {
        snprintf(detail, sizeof detail, "\"data\" is %s, expected an object holding %s",
                 json_type(data), name);
    } else if (!cJSON_IsString(token) || !*token->valuestring) {
        snprintf(detail, sizeof detail, "data.%s is %s, expected a non-empty string", name,
                 cJSON_IsString(token) ? "empty" : json_type(token));
    } else if (strlen(token->valuestring) >= EXTERNAL_TOKEN_MAX) {
        snprintf(detail, sizeof detail, "data.%s is longer than %d characters", name,
                 EXTERNAL_TOKEN_MAX - 1);
    } else {
        snprintf(out, EXTERNAL_TOKEN_MAX, "%s", token->valuestring);
        snprintf(detail, sizeof detail, "data.%s present (%zu characters)", name, strlen(out));
        set_check(check, prefix, name, EXTERNAL_PASS, detail);
        return true;
    }
    set_check(check, prefix, name, EXTERNAL_FAIL, detail);
    return false;
}

void external_token_judge(const char *prefix, const struct http_client_response *resp,
                          struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER],
                          struct external_answer *answer)
{
    memset(answer, 0, sizeof *answer);
    if (!judge_transport(prefix, resp, checks))
        return;
    cJSON *root = cJSON_ParseWithLength(resp->body, resp->body_len);
    if (!cJSON_IsObject(root)) {
        set_check(&checks[2], prefix, "json", EXTERNAL_FAIL,
                  root ? "the body is JSON but not an object" : "the body is not JSON");
        skip_rest(prefix, 3, checks);
        cJSON_Delete(root);
        return;
    }
    set_check(&checks[2], prefix, "json", EXTERNAL_PASS, "a JSON object");
    if (judge_code(prefix, root, checks)) {
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
        bool access = judge_token(prefix, data, "access_token", &checks[4], answer->access_token);
        bool refresh =
            judge_token(prefix, data, "refresh_token", &checks[5], answer->refresh_token);
        answer->ok = access && refresh;
    }
    cJSON_Delete(root);
}

void external_token_judge_renewal(const struct external_answer *first,
                                  const struct external_answer *renewed,
                                  struct external_check *check)
{
    snprintf(check->name, sizeof check->name, "refresh.new_access_token");
    if (!first->access_token[0] || !renewed->access_token[0]) {
        check->result = EXTERNAL_SKIP;
        snprintf(check->detail, sizeof check->detail, "skipped: no two access tokens to compare");
    } else if (!strcmp(first->access_token, renewed->access_token)) {
        check->result = EXTERNAL_FAIL;
        snprintf(check->detail, sizeof check->detail,
                 "the refreshed access_token equals the old one; it must be newly generated");
    } else {
        check->result = EXTERNAL_PASS;
        snprintf(check->detail, sizeof check->detail, "a new access_token");
    }
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_length(const unsigned char *p, size_t avail)
{
    size_t n;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

size_t external_token_excerpt(const char *data, size_t len, char *out, size_t out_size)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t in = 0, n = 0;
    if (!out_size)
        return 0;
    while (in < len) {
        size_t step = utf8_length(p + in, len - in);
        bool keep =
            step > 1 ||
            (step == 1 && (p[in] >= 0x20 || p[in] == '\t' || p[in] == '\n' || p[in] == '\r'));
        size_t width = keep ? step : 1;
        if (n + width >= out_size)
            break;
        if (keep) {
            memcpy(out + n, p + in, width);
        } else {
            out[n] = '?';
        }
        n += width;
        in += step ? step : 1;
    }
    out[n] = '\0';
    return in;
}
