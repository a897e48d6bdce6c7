/*
 * external_token.h - the contract of a customer's "dynamic token" API, as
 * API Management states it, and the checks that judge an answer.
 *
 *   obtain:  app_key, timestamp (Long, ms), sign = md5(app_key + timestamp + app_secret)
 *   refresh: refresh_token
 *   answer:  {"code":"000000","data":{"access_token":"…","refresh_token":"…"}}
 *
 * Pure functions: no I/O, no clock. The tester (api/token_tester.c) sends
 * what these build through http_client and reports what these judge.
 */
#ifndef SOBOT_EXTERNAL_TOKEN_H
#define SOBOT_EXTERNAL_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http_client.h"
#include "sign.h"

#define EXTERNAL_TOKEN_MAX 4096 /* longest access/refresh token judged, with NUL */

/* sign = md5(app_key + timestamp + app_secret), the timestamp in decimal. */
void external_token_sign(const char *app_key, int64_t timestamp_ms, const char *app_secret,
                         char out[SIGN_HEX_LEN + 1]);

/* url with name=value pairs appended as a query ('?' or '&' as needed),
 * percent-encoded. malloc'd; NULL when out of memory. */
char *external_token_url_with_query(const char *url, const char *const *names,
                                    const char *const *values, size_t n);

enum external_check_result { EXTERNAL_PASS, EXTERNAL_FAIL, EXTERNAL_SKIP };

struct external_check {
    char name[40]; /* "token.http_200", "refresh.new_access_token", ... */
    enum external_check_result result;
    char detail[320];
};

/* The six checks of one answer, in order. */
#define EXTERNAL_CHECKS_PER_ANSWER 6

/* What a good answer carried. */
struct external_answer {
    bool ok; /* every check passed */
    char access_token[EXTERNAL_TOKEN_MAX];
    char refresh_token[EXTERNAL_TOKEN_MAX];
};

/* Judges one answer into checks named <prefix>.reachable, .http_200, .json,
 * .code, .access_token, .refresh_token. Once one of the first four fails, the
 * rest are skipped, naming it. */
void external_token_judge(const char *prefix, const struct http_client_response *resp,
                          struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER],
                          struct external_answer *answer);

/* Marks the six checks of an answer that was never asked for as skipped. */
void external_token_skip(const char *prefix, const char *why,
                         struct external_check checks[EXTERNAL_CHECKS_PER_ANSWER]);

/* The refresh rule: the new access token must differ from the old one. */
void external_token_judge_renewal(const struct external_answer *first,
                                  const struct external_answer *renewed,
                                  struct external_check *check);

/* A printable excerpt of bytes for a JSON report: at most out_size - 1
 * bytes, valid UTF-8 (invalid bytes and control characters other than tab
 * and newlines become '?'), never cutting a character. Returns how many
 * input bytes it covers (less than len when truncated). */
size_t external_token_excerpt(const char *data, size_t len, char *out, size_t out_size);

#endif
