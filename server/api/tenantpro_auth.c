/*
 * api/tenantpro_auth.c - the signatures of the e-commerce platform API.
 *
 * Every tenantpro signature is an MD5 of a plain concatenation of named
 * fields, the platform's unionKey among them, so each scheme here is data: a
 * formula (field names), the parameter carrying the signature, and the codes
 * the route's envelope answers with. The formulas of tenantExportData,
 * getBatchAppKey and tenantStaffJobList are not published; --report-sign
 * chooses theirs (default "unionCode+ts+unionKey"), parsed once.
 *
 * ts is milliseconds. A seconds-looking ts is noted in the diagnostic, never
 * rejected: the live service applies no freshness window (FACTS.md).
 *
 * This file must never answer for a handler: it only admits or rejects.
 */
#include "api/tenantpro.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "log.h"

struct tp_scheme {
    const char *const *fields; /* NULL: the --report-sign formula */
    size_t count;
    const char *sign_param;   /* "token" or "sign" */
    const char *unknown_code; /* unionCode missing or unknown */
    const char *bad_code;     /* signature missing or wrong, ts not digits */
    const char *missing_code; /* another signed field missing; NULL: sign with "" */
    const char *failed_code;  /* the store failed; NULL: 999999 */
};

size_t tenantpro_parse_formula(const char *text,
                               char fields[TENANTPRO_FORMULA_MAX][TENANTPRO_FIELD_MAX])
{
    size_t count = 0;
    const char *p = text ? text : "";
    while (*p) {
        while (*p == ' ' || *p == '+')
            p++;
        size_t len = strcspn(p, "+ ");
        if (!len)
            break;
        if (count == TENANTPRO_FORMULA_MAX || len >= TENANTPRO_FIELD_MAX)
            return 0;
        memcpy(fields[count], p, len);
        fields[count++][len] = '\0';
        p += len;
    }
    return count;
}

static char report_fields[TENANTPRO_FORMULA_MAX][TENANTPRO_FIELD_MAX];
static const char *report_names[TENANTPRO_FORMULA_MAX];
static size_t report_count;
static pthread_once_t report_once = PTHREAD_ONCE_INIT;

static void parse_report_formula(void)
{
    report_count = tenantpro_parse_formula(config.report_sign, report_fields);
    if (!report_count) {
        log_warn("report-sign '%s' names no usable field; using unionCode+ts+unionKey",
                 config.report_sign ? config.report_sign : "");
        report_count = tenantpro_parse_formula("unionCode+ts+unionKey", report_fields);
    }
    for (size_t i = 0; i < report_count; i++)
        report_names[i] = report_fields[i];
}

const char *tenantpro_param(const struct request *rq, const char *name)
{
    const char *value = request_param(rq, name);
    if (value)
        return value;
    char snake[2 * TENANTPRO_FIELD_MAX];
    size_t n = 0;
    for (const char *p = name; *p && n + 2 < sizeof snake; p++) {
        if (isupper((unsigned char)*p)) {
            snake[n++] = '_';
            snake[n++] = (char)tolower((unsigned char)*p);
        } else {
            snake[n++] = *p;
        }
    }
    snake[n] = '\0';
    return strcmp(snake, name) ? request_param(rq, snake) : NULL;
}

static bool find_platform(struct request *rq, struct reply *rp, const struct tp_scheme *s,
                          struct store_platform *platform)
{
    const char *union_code = tenantpro_param(rq, "unionCode");
    if (!union_code || !*union_code) {
        reply_vendor_error(rq, rp, s->unknown_code, NULL);
        reply_diag(rp, "missing parameter unionCode (union_code)");
        return false;
    }
    enum store_result r = store_platform_get(union_code, platform);
    if (r == STORE_OK)
        return true;
    if (r == STORE_NOT_FOUND) {
        reply_vendor_error(rq, rp, s->unknown_code, NULL);
        reply_diag(rp, "unionCode '%.64s' is no platform of the fixtures", union_code);
    } else {
        reply_vendor_error(rq, rp, s->failed_code ? s->failed_code : "999999", NULL);
        reply_diag(rp, "the store failed reading platform '%.64s'", union_code);
    }
    return false;
}

/* The value a formula field stands for; the secret shows masked in `shown`. */
static const char *field_value(const struct request *rq, const struct store_platform *platform,
                               const char *field, char *shown, size_t shown_size)
{
    if (!strcmp(field, "unionKey")) {
        sign_mask(platform->union_key, shown, shown_size);
        return platform->union_key;
    }
    const char *value = tenantpro_param(rq, field);
    if (!strcmp(field, "unionCode"))
        value = platform->union_code;
    snprintf(shown, shown_size, "%s", value ? value : "");
    return value ? value : "";
}

/* "md5(unionCode + ts + unionKey) = md5("10004" + "1" + "ab**")" into out. */
static void describe(const char *const *names, const char *const *shown, size_t n, char *out,
                     size_t size)
{
    size_t used = (size_t)snprintf(out, size, "md5(");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? " + " : "", names[i]);
    if (used < size)
        used += (size_t)snprintf(out + used, size - used, ") = md5(");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s\"%.48s\"", i ? " + " : "", shown[i]);
    if (used < size)
        snprintf(out + used, size - used, ")");
}

static bool missing_field(struct request *rq, struct reply *rp, const struct tp_scheme *s,
                          const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(names[i], "unionKey") || !strcmp(names[i], "unionCode"))
            continue;
        const char *value = tenantpro_param(rq, names[i]);
        if (value && *value)
            continue;
        const char *code = s->missing_code           ? s->missing_code
                           : !strcmp(names[i], "ts") ? s->bad_code
                                                     : NULL;
        if (!code)
            continue;
        reply_vendor_error(rq, rp, code, NULL);
        reply_diag(rp, "missing parameter %s (signed as %s)", names[i], s->sign_param);
        return true;
    }
    return false;
}

static bool check_signature(struct request *rq, struct reply *rp, const struct tp_scheme *s,
                            const struct store_platform *platform, const char *const *names,
                            size_t n)
{
    const char *values[TENANTPRO_FORMULA_MAX];
    char shown_buf[TENANTPRO_FORMULA_MAX][64];
    const char *shown[TENANTPRO_FORMULA_MAX];
    for (size_t i = 0; i < n; i++) {
        values[i] = field_value(rq, platform, names[i], shown_buf[i], sizeof shown_buf[i]);
        shown[i] = shown_buf[i];
    }
    char expected[SIGN_HEX_LEN + 1], how[512];
    sign_md5_concat(values, n, expected);
    const char *given = request_param(rq, s->sign_param);
    if (sign_matches(given, expected))
        return true;
    describe(names, shown, n, how, sizeof how);
    reply_vendor_error(rq, rp, s->bad_code, NULL);
    reply_diag(rp, "expected %s = %s = %s; got '%.40s'", s->sign_param, how, expected,
               given ? given : "(missing)");
    return false;
}

static bool check_ts(struct request *rq, struct reply *rp, const struct tp_scheme *s)
{
    const char *ts = request_param(rq, "ts");
    if (!ts || !*ts)
        return true; /* not signed by this formula, or reported as missing */
    if (!params_all_digits(ts)) {
        reply_vendor_error(rq, rp, s->bad_code, NULL);
        reply_diag(rp, "ts must be a timestamp in milliseconds (digits only), got '%.32s'", ts);
        return false;
    }
    /* 13 digits is milliseconds until the year 2286; fewer looks like seconds. */
    if (strlen(ts) <= 11)
        reply_diag(rp,
                   "note: ts %s looks like seconds; tenantpro ts is in milliseconds "
                   "(accepted: no freshness window)",
                   ts);
    return true;
}

static bool check_scheme(struct request *rq, struct reply *rp, const struct tp_scheme *s)
{
    const char *const *names = s->fields;
    size_t n = s->count;
    if (!names) {
        pthread_once(&report_once, parse_report_formula);
        names = report_names;
        n = report_count;
    }
    struct store_platform platform;
    if (!find_platform(rq, rp, s, &platform) || missing_field(rq, rp, s, names, n) ||
        !check_ts(rq, rp, s))
        return false;
    const char *given = request_param(rq, s->sign_param);
    if (s->missing_code && (!given || !*given)) {
        reply_vendor_error(rq, rp, s->missing_code, NULL);
        reply_diag(rp, "missing parameter %s", s->sign_param);
        return false;
    }
    if (!check_signature(rq, rp, s, &platform, names, n))
        return false;
    snprintf(rq->caller.union_code, sizeof rq->caller.union_code, "%s", platform.union_code);
    snprintf(rq->caller.token, sizeof rq->caller.token, "%s", given ? given : "");
    return true;
}

bool tenantpro_platform(const struct request *rq, struct reply *rp, struct store_platform *out)
{
    if (store_platform_get(rq->caller.union_code, out) == STORE_OK)
        return true;
    reply_vendor_error(rq, rp, "999999", NULL);
    reply_diag(rp, "the store failed reading platform '%s'", rq->caller.union_code);
    return false;
}

/* ---- the schemes ---- */

static const char *const email_fields[] = {"unionCode", "ts", "email", "unionKey"};
static const char *const platform_fields[] = {"unionCode", "ts", "unionKey"};
static const char *const chat_fields[] = {"unionCode", "partnerId", "ts", "unionKey"};

/* The agent calls document 999998 "请求失败!登录已失效,请重新登录!" as their
 * auth failure; the page gives no other, so every tenant/agent rejection uses it. */
static const struct tp_scheme email_scheme = {email_fields, 4,    "token", "999998",
                                              "999998",     NULL, NULL};
static const struct tp_scheme platform_scheme = {platform_fields, 3,    "token", "999998",
                                                 "999998",        NULL, NULL};
/* chatIndexPage: 2 bad parameters, 3 unionCode error, 5 token check failed,
 * 0 unknown error (its only failure status; 999999 is no chat status). */
static const struct tp_scheme chat_scheme = {chat_fields, 4, "token", "3", "5", "2", "0"};
/* The report calls carry a v5-style "sign"; they answer as v5 does:
 * 900004 for an unknown platform, 900003 for a wrong sign. */
static const struct tp_scheme report_scheme = {NULL, 0, "sign", "900004", "900003", NULL, NULL};

static bool check_email(struct request *rq, struct reply *rp)
{
    return check_scheme(rq, rp, &email_scheme);
}

static bool check_platform(struct request *rq, struct reply *rp)
{
    return check_scheme(rq, rp, &platform_scheme);
}

static bool check_chat(struct request *rq, struct reply *rp)
{
    return check_scheme(rq, rp, &chat_scheme);
}

static bool check_report(struct request *rq, struct reply *rp)
{
    return check_scheme(rq, rp, &report_scheme);
}

const struct auth_scheme tenantpro_auth_email = {"tenantpro_email", check_email};
const struct auth_scheme tenantpro_auth_platform = {"tenantpro_platform", check_platform};
const struct auth_scheme tenantpro_auth_chat = {"chat_token", check_chat};
const struct auth_scheme tenantpro_auth_report = {"report_sign", check_report};
