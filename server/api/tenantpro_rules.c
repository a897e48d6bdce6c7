/*
 * api/tenantpro_rules.c - the parameter rules every tenantpro handler
 * shares: required fields, whole numbers, field lengths (220001) and the
 * deterministic ids of created tenants and agents.
 *
 * Ids are md5("<seed>:<kind>:<a>:<b>") in lower-case hex, so a test that
 * knows --seed, the unionCode and the customerCode can predict a new
 * tenant's companyId (= sysNum), appId and appKey. Nothing here may read the
 * clock or the store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/tenantpro.h"
#include "config.h"

void tenantpro_make_id(const char *kind, const char *a, const char *b, char out[SIGN_HEX_LEN + 1])
{
    char text[512];
    int n = snprintf(text, sizeof text, "%lld:%s:%s:%s", (long long)config.seed, kind, a, b);
    sign_md5_hex(text, n < (int)sizeof text ? (size_t)n : sizeof text - 1, out);
}

size_t tenantpro_utf8_length(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80) /* count lead bytes, not continuation bytes */
            n++;
    return n;
}

bool tenantpro_check_lengths(const struct request *rq, struct reply *rp,
                             const struct tenantpro_limit *limits, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *value = request_param(rq, limits[i].field);
        if (!value)
            continue;
        size_t chars = tenantpro_utf8_length(value);
        if (chars <= (size_t)limits[i].max_chars && strlen(value) <= (size_t)limits[i].max_bytes)
            continue;
        reply_too_long(rq, rp, limits[i].field, limits[i].max_chars);
        reply_diag(rp,
                   "%s has %zu characters (%zu bytes); the mock allows %d characters, %d "
                   "bytes",
                   limits[i].field, chars, strlen(value), limits[i].max_chars, limits[i].max_bytes);
        return false;
    }
    return true;
}

bool tenantpro_require(const struct request *rq, struct reply *rp, const char *const *names,
                       size_t count)
{
    for (size_t i = 0; i < count; i++) {
        /* The name exactly as the route documents it: the handler reads it
         * so, and a snake_case twin let through here would be read as "". */
        const char *value = request_param(rq, names[i]);
        if (value && *value)
            continue;
        reply_named_error(rq, rp, "tp.bad_param");
        reply_diag(rp, "missing required parameter %s", names[i]);
        return false;
    }
    return true;
}

bool tenantpro_int_param(const struct request *rq, struct reply *rp, const char *name, long min,
                         long max, long fallback, long *out)
{
    const char *text = request_param(rq, name);
    if (!text || !*text) {
        *out = fallback;
        return true;
    }
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || *end || value < min || value > max) {
        reply_named_error(rq, rp, "tp.bad_param");
        reply_diag(rp, "%s must be a whole number from %ld to %ld, got '%.32s'", name, min, max,
                   text);
        return false;
    }
    *out = value;
    return true;
}
