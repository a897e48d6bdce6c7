/*
 * admin/admin_coverage.c - /__admin/coverage: the contract coverage report,
 * and DELETE to start a new one.
 */
#include "admin/admin.h"
#include "auth.h"
#include "coverage.h"

static void coverage_get(struct request *rq, struct reply *rp)
{
    (void)rq;
    reply_admin(rp, 200, coverage_json());
}

static void coverage_delete(struct request *rq, struct reply *rp)
{
    (void)rq;
    coverage_reset();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddBoolToObject(root, "cleared", true);
    reply_admin(rp, 200, root);
}

static const struct route rows[] = {
    {"admin.coverage", "GET", "/__admin/coverage", &auth_none, coverage_get, ENVELOPE_ADMIN, "",
     true},
    {"admin.coverage.clear", "DELETE", "/__admin/coverage", &auth_none, coverage_delete,
     ENVELOPE_ADMIN, "", true},
};

const struct route_slice admin_coverage_route_slice = ROUTE_SLICE(rows);
