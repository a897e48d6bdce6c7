/*
 * fixtures_customers.c - the "customers" fixtures section: CRM customers
 * that the customer-query API (api/customer.c) finds.
 *
 *   "customers": [
 *     {"company_id": "…", "id": "…", "nick": "…", "tel": "…", …,
 *      "custom_fields": {"<field id>": "value", …}}
 *   ]
 *
 * Members carry the vendor's field names, so a fixture reads like the reply
 * it produces. Values may be strings or integral numbers (stored as their
 * text: the API types every field String). A member the mock does not know
 * fails the load, naming the entry, so a misspelt field never silently
 * answers "". Absent fields are "", except isblack ("0") and userStatusName
 * ("blacklist" or "normal", following isblack).
 *
 * This file only reads fixtures; it must never answer requests.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

/* The text of a string or integral number member; false for other types. */
static bool value_text(const cJSON *item, char *out, size_t size)
{
    if (cJSON_IsString(item)) {
        if (strlen(item->valuestring) >= size)
            return false;
        snprintf(out, size, "%s", item->valuestring);
        return true;
    }
    if (cJSON_IsNumber(item) && item->valuedouble == floor(item->valuedouble) &&
        fabs(item->valuedouble) < 9e15) {
        snprintf(out, size, "%.0f", item->valuedouble);
        return true;
    }
    return false;
}

static int standard_field(const char *name)
{
    for (int i = 0; i < STORE_CUSTOMER_FIELD_COUNT; i++)
        if (!strcmp(store_customer_field_names[i], name))
            return i;
    return -1;
}

/* custom_fields: an object of field id → string/number, printed as JSON text
 * with every value a string. */
static bool read_custom_fields(const cJSON *obj, struct store_customer *c, char *err,
                               size_t err_size)
{
    if (!cJSON_IsObject(obj)) {
        snprintf(err, err_size, "custom_fields must be an object of field id to value");
        return false;
    }
    cJSON *copy = cJSON_CreateObject();
    bool ok = copy != NULL;
    for (const cJSON *item = obj->child; ok && item; item = item->next) {
        char value[STORE_CUSTOMER_VALUE_MAX];
        if (!*item->string || standard_field(item->string) >= 0) {
            snprintf(err, err_size, "custom field id '%.64s' is empty or a standard field name",
                     item->string);
            ok = false;
        } else if (!value_text(item, value, sizeof value)) {
            snprintf(err, err_size, "custom field '%.64s' must be a string or an integer",
                     item->string);
            ok = false;
        } else {
            ok = cJSON_AddStringToObject(copy, item->string, value) != NULL;
        }
    }
    char *printed = ok ? cJSON_PrintUnformatted(copy) : NULL;
    cJSON_Delete(copy);
    if (ok && (!printed || strlen(printed) >= sizeof c->custom_fields)) {
        snprintf(err, err_size, "custom_fields is too large");
        ok = false;
    }
    if (ok)
        snprintf(c->custom_fields, sizeof c->custom_fields, "%s", printed);
    free(printed);
    return ok;
}

static bool read_member(const cJSON *item, struct store_customer *c, char *err, size_t err_size)
{
    if (item->string[0] == '_')
        return true; /* comments */
    if (!strcmp(item->string, "custom_fields"))
        return read_custom_fields(item, c, err, err_size);
    if (!strcmp(item->string, "company_id")) {
        if (value_text(item, c->company_id, sizeof c->company_id))
            return true;
        snprintf(err, err_size, "company_id must be a string under 64 bytes");
        return false;
    }
    int field = standard_field(item->string);
    if (field < 0) {
        snprintf(err, err_size, "unknown member '%.64s' (fields use the vendor's names)",
                 item->string);
        return false;
    }
    if (value_text(item, c->fields[field], sizeof c->fields[field]))
        return true;
    snprintf(err, err_size, "'%s' must be a string or an integer under %d bytes", item->string,
             STORE_CUSTOMER_VALUE_MAX);
    return false;
}

static bool customer_from_json(const cJSON *entry, struct store_customer *c, char *err,
                               size_t err_size)
{
    memset(c, 0, sizeof *c);
    snprintf(c->custom_fields, sizeof c->custom_fields, "{}");
    if (!cJSON_IsObject(entry)) {
        snprintf(err, err_size, "not an object");
        return false;
    }
    for (const cJSON *item = entry->child; item; item = item->next)
        if (!read_member(item, c, err, err_size))
            return false;
    if (!c->company_id[0] || !c->fields[STORE_CUSTOMER_ID][0]) {
        snprintf(err, err_size, "company_id and id are required");
        return false;
    }
    char *isblack = c->fields[STORE_CUSTOMER_ISBLACK];
    if (!isblack[0])
        snprintf(isblack, STORE_CUSTOMER_VALUE_MAX, "0");
    char *status = c->fields[STORE_CUSTOMER_USERSTATUSNAME];
    if (!status[0])
        snprintf(status, STORE_CUSTOMER_VALUE_MAX, "%s",
                 !strcmp(isblack, "1") ? "blacklist" : "normal");
    return true;
}

bool fixtures_load_customers(const cJSON *section, char *err, size_t err_size)
{
    if (!cJSON_IsArray(section)) {
        snprintf(err, err_size, "customers: must be an array");
        return false;
    }
    int index = 0;
    const cJSON *entry;
    char why[256];
    cJSON_ArrayForEach(entry, section)
    {
        /* A customer is about 20 KB: too big for a worker's stack habits. */
        struct store_customer *c = malloc(sizeof *c);
        bool ok = c && customer_from_json(entry, c, why, sizeof why);
        if (!c)
            snprintf(why, sizeof why, "out of memory");
        enum store_result r = ok ? store_customer_insert(c) : STORE_ERROR;
        if (ok && r != STORE_OK)
            snprintf(why, sizeof why, "%s",
                     r == STORE_CONFLICT ? "the company already has a customer with this id"
                                         : "the store failed");
        free(c);
        if (!ok || r != STORE_OK) {
            snprintf(err, err_size, "customers[%d]: %s", index, why);
            return false;
        }
        index++;
    }
    return true;
}
