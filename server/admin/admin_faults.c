/*
 * admin/admin_faults.c - /__admin/faults: add, list, delete fault rules.
 *
 * The rule's shape and its checks live in faults.c; this file only moves
 * JSON between HTTP and the engine, and never adds half a rule.
 */
#include <stdlib.h>

#include "admin/admin.h"
#include "auth.h"
#include "faults.h"

static void faults_post(struct request *rq, struct reply *rp)
{
    const cJSON *body = admin_body(rq);
    struct fault_rule rule;
    char err[256];
    if (!body) {
        reply_admin_error(rp, 400,
                          "send the rule as a JSON object (Content-Type: application/json)");
        return;
    }
    if (!faults_rule_parse(body, &rule, err, sizeof err)) {
        reply_admin_error(rp, 400, "%s", err);
        return;
    }
    if (!faults_add(&rule)) {
        reply_admin_error(rp, 409, "the fault table is full (%d rules)", FAULTS_MAX_RULES);
        return;
    }
    reply_admin(rp, 201, faults_rule_json(&rule));
}

static void faults_get(struct request *rq, struct reply *rp)
{
    (void)rq;
    reply_admin(rp, 200, faults_list_json());
}

static void faults_delete_all(struct request *rq, struct reply *rp)
{
    (void)rq;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "deleted", faults_clear());
    reply_admin(rp, 200, root);
}

static void faults_delete_one(struct request *rq, struct reply *rp)
{
    char *end;
    long id = strtol(rq->route_tail, &end, 10);
    if (!*rq->route_tail || *end || id < 1) {
        reply_admin_error(rp, 400, "'%.40s' is not a rule id", rq->route_tail);
        return;
    }
    if (!faults_delete((int)id)) {
        reply_admin_error(rp, 404, "no fault rule %ld", id);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "deleted", 1);
    reply_admin(rp, 200, root);
}

static const struct route rows[] = {
    {"admin.faults.add", "POST", "/__admin/faults", &auth_none, faults_post, ENVELOPE_ADMIN,
     "match,!action,probability:n,skip:n,times:n,comment", true},
    {"admin.faults", "GET", "/__admin/faults", &auth_none, faults_get, ENVELOPE_ADMIN, "", true},
    {"admin.faults.clear", "DELETE", "/__admin/faults", &auth_none, faults_delete_all,
     ENVELOPE_ADMIN, "", true},
    {"admin.faults.delete", "DELETE", "/__admin/faults/*", &auth_none, faults_delete_one,
     ENVELOPE_ADMIN, "", true},
};

const struct route_slice admin_faults_route_slice = ROUTE_SLICE(rows);
