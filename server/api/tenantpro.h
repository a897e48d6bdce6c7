/*
 * api/tenantpro.h - what the e-commerce platform ("tenantpro") files share:
 * their auth schemes, the parameter lookup that accepts the vendor's two
 * spellings, deterministic ids and field-length checks. Only api/tenantpro*.c
 * and api/chat.c include it.
 */
#ifndef SOBOT_API_TENANTPRO_H
#define SOBOT_API_TENANTPRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "routes.h"
#include "sign.h"
#include "store/store.h"

/* token = MD5(unionCode+ts+email+unionKey): tenant and agent calls. */
extern const struct auth_scheme tenantpro_auth_email;
/* token = MD5(unionCode+ts+unionKey): getStaffLogInfos. */
extern const struct auth_scheme tenantpro_auth_platform;
/* token = MD5(unionCode+partnerId+ts+unionKey), field union_code, chat status
 * codes: chatIndexPage. */
extern const struct auth_scheme tenantpro_auth_chat;
/* sign = MD5 of the fields named by --report-sign: tenantExportData,
 * getBatchAppKey, tenantStaffJobList. */
extern const struct auth_scheme tenantpro_auth_report;

#define TENANTPRO_FORMULA_MAX 8
#define TENANTPRO_FIELD_MAX 32

/* Splits a sign formula ("unionCode+ts+unionKey") into field names. Returns
 * the count, or 0 when the text names no field or a field is too long. */
size_t tenantpro_parse_formula(const char *text,
                               char fields[TENANTPRO_FORMULA_MAX][TENANTPRO_FIELD_MAX]);

/* A parameter by its camelCase name, falling back to its snake_case spelling
 * (unionCode → union_code, startDate → start_date): the vendor uses both for
 * the platform and the signed fields. Handlers read their own parameters by
 * the one name their route documents. */
const char *tenantpro_param(const struct request *rq, const char *name);

/* The platform the auth step accepted (rq->caller.union_code). On failure it
 * answers 999999 and returns false. */
bool tenantpro_platform(const struct request *rq, struct reply *rp, struct store_platform *out);

/* Deterministic ids: md5("<seed>:<kind>:<a>:<b>"), kind naming what the id
 * is ("company", "appid", "appkey", "agent", "export"). */
void tenantpro_make_id(const char *kind, const char *a, const char *b, char out[SIGN_HEX_LEN + 1]);

/* Characters (UTF-8 code points) in text. */
size_t tenantpro_utf8_length(const char *text);

/* One field's length rule: name as the client sends it, most characters. */
struct tenantpro_limit {
    const char *field;
    int max_chars;
    int max_bytes; /* what the store's field holds; more is too long too */
};

/* Checks every present field against its limit; answers 220001 naming the
 * first one too long and returns false. */
bool tenantpro_check_lengths(const struct request *rq, struct reply *rp,
                             const struct tenantpro_limit *limits, size_t count);

/* Required fields present and non-empty; answers 999999 "参数错误!" naming the
 * first missing one and returns false. */
bool tenantpro_require(const struct request *rq, struct reply *rp, const char *const *names,
                       size_t count);

/* A whole number parameter within [min, max]; absent → fallback. False (and
 * the name in the diagnostic) when present but not such a number. */
bool tenantpro_int_param(const struct request *rq, struct reply *rp, const char *name, long min,
                         long max, long fallback, long *out);

/* The staff-log window (getStaffLogInfos), the vendor's four cases with a
 * one-week span. start/end are the parameters as sent (NULL or "" when
 * absent), in ms. False when one is not a number or start > end. */
#define TENANTPRO_WEEK_MS (7LL * 24 * 3600 * 1000)
bool tenantpro_staff_window(const char *start, const char *end, int64_t now_ms, int64_t *from_ms,
                            int64_t *to_ms);

#endif
