/*
 * admin/admin_sso.c - GET /__admin/sso: the SSO login links clients asked
 * for, oldest first, so a test can assert what its client sent (agent,
 * options exactly as sent and as understood), when each link was issued and
 * expires, and whether and how often it was opened.
 *
 * Optional query filters: agent_email, appid. This file must never change a
 * link: it only lists.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "api/sso_pages.h"
#include "auth.h"
#include "clock.h"
#include "store/store.h"

struct listing {
    cJSON *links;
    const char *agent_email; /* filters; NULL = any */
    const char *appid;
    int64_t now_s;
};

static void add_time(cJSON *obj, const char *name, int64_t epoch_s)
{
    char text[20], at[40];
    clock_format_datetime(epoch_s, text);
    snprintf(at, sizeof at, "%s_at", name);
    cJSON_AddNumberToObject(obj, name, (double)epoch_s);
    cJSON_AddStringToObject(obj, at, text);
}

/* The options as the mock understood them, with their meaning in words. */
static cJSON *understood(const struct store_sso_link *l)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "type", l->type);
    cJSON_AddStringToObject(obj, "type_label", sso_type_label(l->type));
    cJSON_AddNumberToObject(obj, "status", l->status);
    cJSON_AddStringToObject(obj, "status_label", sso_status_label(l->status));
    cJSON_AddNumberToObject(obj, "enable_menu", l->enable_menu);
    cJSON_AddStringToObject(obj, "redirect_url", l->redirect_url);
    cJSON_AddStringToObject(obj, "logout_url", l->logout_url);
    return obj;
}

static void add_link(const struct store_sso_link *l, void *arg)
{
    struct listing *list = arg;
    if ((list->agent_email && strcmp(list->agent_email, l->agent_email)) ||
        (list->appid && strcmp(list->appid, l->appid)))
        return;
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "id", l->link_id);
    cJSON_AddStringToObject(row, "agent_email", l->agent_email);
    cJSON_AddStringToObject(row, "appid", l->appid);
    cJSON_AddStringToObject(row, "company_id", l->company_id);
    cJSON *as_sent = cJSON_Parse(l->options_json);
    cJSON_AddItemToObject(row, "options", as_sent ? as_sent : cJSON_CreateObject());
    cJSON_AddItemToObject(row, "understood", understood(l));
    cJSON_AddStringToObject(row, "url", l->url);
    add_time(row, "issued", l->issued_s);
    add_time(row, "expires", l->expires_s);
    cJSON_AddBoolToObject(row, "expired", list->now_s >= l->expires_s);
    cJSON_AddBoolToObject(row, "used", l->used_s != 0);
    if (l->used_s) {
        add_time(row, "first_used", l->used_s);
    } else {
        cJSON_AddNullToObject(row, "first_used");
        cJSON_AddNullToObject(row, "first_used_at");
    }
    cJSON_AddNumberToObject(row, "uses", l->uses);
    cJSON_AddItemToArray(list->links, row);
}

static const char *filter(const struct request *rq, const char *name)
{
    const char *value = request_param(rq, name);
    return value && *value ? value : NULL;
}

static void sso_list(struct request *rq, struct reply *rp)
{
    cJSON *root = cJSON_CreateObject();
    struct listing list = {cJSON_AddArrayToObject(root, "links"), filter(rq, "agent_email"),
                           filter(rq, "appid"), clock_now_s()};
    if (store_sso_links_each(add_link, &list) != STORE_OK) {
        cJSON_Delete(root);
        reply_admin_error(rp, 500, "the store failed listing SSO links");
        return;
    }
    cJSON_AddNumberToObject(root, "count", cJSON_GetArraySize(list.links));
    reply_admin(rp, 200, root);
}

static const struct route rows[] = {
    {"admin.sso", "GET", "/__admin/sso", &auth_none, sso_list, ENVELOPE_ADMIN, "agent_email,appid",
     true},
};

const struct route_slice admin_sso_route_slice = ROUTE_SLICE(rows);
