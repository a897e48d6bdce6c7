/*
 * api/api.h - the vendor's product areas, one file each, and their route
 * slices. Handlers here see only struct request / struct reply.
 */
#ifndef SOBOT_API_H
#define SOBOT_API_H

#include "routes.h"

/* get_token (api/token.c) */
extern const struct route_slice token_route_slice;

/* SSO login_url and the pages its links lead to (api/sso.c) */
extern const struct route_slice sso_route_slice;
/* e-commerce platform: tenants and agents (api/tenantpro.c), staff logs
 * (api/tenantpro_logs.c), reports and exports (api/tenantpro_reports.c) */
extern const struct route_slice tenantpro_route_slice;
extern const struct route_slice tenantpro_logs_route_slice;
extern const struct route_slice tenantpro_reports_route_slice;

/* chatIndexPage (api/chat.c) */
extern const struct route_slice chat_route_slice;

/* API Management: the internal customer-query API (api/customer.c) */
extern const struct route_slice customer_route_slice;

/* API Management: the tester of a customer's external token API, served on
 * the control plane (api/token_tester.c) */
extern const struct route_slice token_tester_route_slice;

#endif
