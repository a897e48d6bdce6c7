/*
 * api/customer.c - the internal customer-query API of API Management.
 *
 *   GET|POST /api/crm/5/customer/query   header `token`
 *   params: id, tel, email, thirdAccountId (query, form or JSON body)
 *
 * The vendor's page documents the parameters and the returned fields but no
 * path; the path is the mock's choice, in the v5 style, and documented in
 * docs/api-management.md. The answer is the v5 envelope with `item` the
 * customer: every documented field present, every value a string, plus the
 * customer's custom fields keyed by their field id.
 *
 * "At least one [parameter], otherwise return null": no parameter gives
 * "item":null, and so does a query nothing matches (the page names no error
 * code for it; a null item is what a client checking for null already
 * handles). Several parameters must all match the same customer. Only the
 * caller's company's customers are searched.
 *
 * This file must never build an envelope by hand or hold SQL.
 */
#include <stdio.h>

#include "api/api.h"
#include "auth.h"
#include "store/store.h"

/* The item: the standard fields in the vendor's order, then custom fields.
 * Its names and values are references into c and *custom (no copies: this
 * is the hot path of the token-checked API), so both must outlive the item;
 * the caller deletes *custom after the reply is printed. */
static cJSON *customer_item(const struct store_customer *c, cJSON **custom)
{
    cJSON *item = cJSON_CreateObject();
    for (int i = 0; item && i < STORE_CUSTOMER_FIELD_COUNT; i++)
        cJSON_AddItemToObjectCS(item, store_customer_field_names[i],
                                cJSON_CreateStringReference(c->fields[i]));
    *custom = cJSON_Parse(c->custom_fields);
    for (cJSON *field = *custom ? (*custom)->child : NULL; item && field; field = field->next)
        if (cJSON_IsString(field))
            cJSON_AddItemToObjectCS(item, field->string,
                                    cJSON_CreateStringReference(field->valuestring));
    return item;
}

static bool has_criteria(const struct store_customer_query *q)
{
    return (q->id && *q->id) || (q->tel && *q->tel) || (q->email && *q->email) ||
           (q->third_account_id && *q->third_account_id);
}

static void customer_query(struct request *rq, struct reply *rp)
{
    struct store_customer_query query = {
        .company_id = rq->caller.company_id,
        .id = request_param(rq, "id"),
        .tel = request_param(rq, "tel"),
        .email = request_param(rq, "email"),
        .third_account_id = request_param(rq, "thirdAccountId"),
    };
    if (!has_criteria(&query)) {
        reply_v5_ok(rp, cJSON_CreateNull());
        reply_diag(rp, "no query parameter: give at least one of id, tel, email, thirdAccountId");
        return;
    }
    /* One row per worker: 20 KB malloc'd and freed per request made glibc
     * consolidate its fast bins every time. */
    static _Thread_local struct store_customer row;
    struct store_customer *found = &row;
    enum store_result r = store_customer_find(&query, found);
    if (r == STORE_OK) {
        cJSON *custom = NULL;
        reply_v5_ok(rp, customer_item(found, &custom));
        cJSON_Delete(custom);
    } else if (r == STORE_NOT_FOUND) {
        reply_v5_ok(rp, cJSON_CreateNull());
        reply_diag(rp, "no customer of company %s matches every parameter given",
                   rq->caller.company_id);
    } else {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed looking up the customer");
    }
}

#define CUSTOMER_QUERY_PARAMS "id,tel,email,thirdAccountId"

static const struct route rows[] = {
    {"customer.query", "GET", "/api/crm/5/customer/query", &auth_v5_token, customer_query,
     ENVELOPE_V5, CUSTOMER_QUERY_PARAMS, false},
    {"customer.query.post", "POST", "/api/crm/5/customer/query", &auth_v5_token, customer_query,
     ENVELOPE_V5, CUSTOMER_QUERY_PARAMS, false},
};

const struct route_slice customer_route_slice = ROUTE_SLICE(rows);
