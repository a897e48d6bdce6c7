/*
 * coverage.h - contract coverage: which documented endpoints and parameters
 * clients exercised, and every contract violation seen.
 *
 * Generic over the route table: each row's `params` string is the contract
 * ("!appid,!create_time:s,sign"), so a new endpoint is covered the moment its
 * row exists. Findings are warnings; dispatch turns the strict-able ones
 * into vendor errors under --strict.
 */
#ifndef SOBOT_COVERAGE_H
#define SOBOT_COVERAGE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "reply.h"
#include "request.h"

enum coverage_kind {
    COV_MISSING_REQUIRED,
    COV_WRONG_TYPE,
    COV_SECONDS_FOR_MS,
    COV_MS_FOR_SECONDS,
    COV_WRONG_CONTENT_TYPE,
    COV_WRONG_METHOD,
    COV_TOKEN_REFETCHED,   /* get_token while the app's token was still valid */
    COV_TOKEN_PER_REQUEST, /* ... and the previous token served at most one call */
    COV_KIND_COUNT,
};

#define COVERAGE_FINDINGS_MAX 8

struct coverage_finding {
    enum coverage_kind kind;
    char param[48];
    char detail[200];
};

struct coverage_findings {
    int count;
    struct coverage_finding items[COVERAGE_FINDINGS_MAX];
};

/* Checks a vendor request against its route's documented parameters, method
 * and content type. Reads only the request. */
void coverage_check(const struct request *rq, struct coverage_findings *out);

/* The first finding --strict turns into a vendor error, or NULL. */
const struct coverage_finding *coverage_strict_error(const struct coverage_findings *f);

/* Records a finished vendor request: the call, the parameters it sent, the
 * findings of coverage_check and the token-history pitfalls. */
void coverage_record(const struct request *rq, const struct reply *rp,
                     const struct coverage_findings *f);

/* {"endpoints":[...],"summary":{...}} (caller frees). */
cJSON *coverage_json(void);
void coverage_reset(void);

const char *coverage_kind_name(enum coverage_kind kind);

#endif
