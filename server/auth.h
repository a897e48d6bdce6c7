/*
 * auth.h - the auth schemes routes name in their row.
 *
 * auth_none lets everything through; auth_v5_token is the shared check of the
 * `token` header every v5 business endpoint applies (900001 missing, 900002
 * unknown, replaced or expired). Product areas with their own signatures
 * (tenantpro) define their schemes beside their handlers.
 */
#ifndef SOBOT_AUTH_H
#define SOBOT_AUTH_H

#include "routes.h"

extern const struct auth_scheme auth_none;
extern const struct auth_scheme auth_v5_token;

#endif
