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

/* GET /__admin/sso: issued SSO login links (admin/admin_sso.c) */
extern const struct route_slice admin_sso_route_slice;

/* The request's JSON object body (borrowed; NULL when the body was empty).
 * Dispatch has already answered 400 for malformed JSON. */
const cJSON *admin_body(const struct request *rq);

/* Answers 400 and returns false when the body has a member not in `allowed`
 * (NULL-terminated), so a typo never passes silently. */
bool admin_only_fields(const cJSON *body, const char *const *allowed, struct reply *rp);

/* Masks a token or key for display: its first six characters and "…". */
void admin_mask(const char *secret, char *out, size_t size);

#endif
