/*
 * admin/admin.h - the /__admin control plane: JSON in and out, paths that
 * never collide with the vendor's.
 */
#ifndef SOBOT_ADMIN_H
#define SOBOT_ADMIN_H

#include <stdbool.h>

#include "routes.h"

/* health, version, clock, tokens, routes, reset (admin/admin.c) */
extern const struct route_slice admin_route_slice;
/* fault rules (admin/admin_faults.c) */
extern const struct route_slice admin_faults_route_slice;
/* the request journal and verification (admin/admin_requests.c) */
extern const struct route_slice admin_requests_route_slice;
/* contract coverage (admin/admin_coverage.c) */
extern const struct route_slice admin_coverage_route_slice;
/* Prometheus metrics (admin/admin_metrics.c) */
extern const struct route_slice admin_metrics_route_slice;
/* token expiry and revocation (admin/admin_tokens.c) */
extern const struct route_slice admin_tokens_route_slice;

/* GET /__admin/sso: issued SSO login links (admin/admin_sso.c) */
extern const struct route_slice admin_sso_route_slice;

/* The request's JSON object body (borrowed; NULL when the body was empty).
 * Dispatch has already answered 400 for malformed JSON. */
const cJSON *admin_body(const struct request *rq);

/* Answers 400 and returns false when the body has a member not in `allowed`
 * (NULL-terminated), so a typo never passes silently. */
bool admin_only_fields(const cJSON *body, const char *const *allowed, struct reply *rp);

#endif
