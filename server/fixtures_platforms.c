/*
 * fixtures_platforms.c - the "platforms" fixtures section: e-commerce
 * platforms (unionCode, unionKey, super-admin email, optional maxSeats) and,
 * nested in each tenant, its agents, staff status logs, chat rows and daily
 * agent statistics. docs/tenantpro.md describes every field.
 *
 * Tenants land in the shared companies/apps/agents tables (so their appId
 * fetches a get_token token and their agents exist for SSO) plus the
 * tenantpro tables. This file must never enforce the API's business rules
 * (seats, unique customerCode across calls): fixtures state what is.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "fixtures.h"
#include "store/store.h"

#define COPY(dst, obj, name, fallback)                                                             \
    snprintf((dst), sizeof(dst), "%s", fixtures_string((obj), (name), (fallback)))

/* A boolean, 0/1 number or "true"/"false" member. */
static int flag(const cJSON *obj, const char *name, int fallback)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsBool(item))
        return cJSON_IsTrue(item) ? 1 : 0;
    if (cJSON_IsString(item))
        return !strcmp(item->valuestring, "true") || !strcmp(item->valuestring, "1");
    return cJSON_IsNumber(item) ? item->valueint != 0 : fallback;
}

/* "2018-08-29" or "2018-08-29 10:30:00" (UTC+8) into epoch ms. */
static bool parse_create_time(const char *text, int64_t *ms)
{
    char day[11];
    int64_t s;
    int h = 0, m = 0, sec = 0;
    snprintf(day, sizeof day, "%s", text);
    if (!clock_parse_date(day, &s))
        return false;
    if (strlen(text) > 10 && sscanf(text + 10, " %2d:%2d:%2d", &h, &m, &sec) != 3)
        return false;
    *ms = (s + (int64_t)h * 3600 + (int64_t)m * 60 + sec) * 1000;
    return true;
}

static bool read_tenant(const cJSON *entry, const char *union_code, struct store_tenant *t,
                        char *err, size_t err_size)
{
    memset(t, 0, sizeof *t);
    COPY(t->company_id, entry, "companyId", "");
    COPY(t->appid, entry, "appId", "");
    COPY(t->app_key, entry, "appKey", "");
    if (!t->company_id[0] || (t->app_key[0] && !t->appid[0])) {
        snprintf(err, err_size, "a tenant needs companyId (and appId when it has an appKey)");
        return false;
    }
    snprintf(t->union_code, sizeof t->union_code, "%s", union_code);
    const char *code = fixtures_string(entry, "customerCode", NULL);
    t->has_customer_code = code != NULL;
    COPY(t->customer_code, entry, "customerCode", "");
    COPY(t->name, entry, "companyName", "");
    COPY(t->email, entry, "email", "");
    COPY(t->contact_name, entry, "contactName", "");
    COPY(t->contact_tel, entry, "contactTel", "");
    COPY(t->password, entry, "password", "");
    COPY(t->icon, entry, "icon", "");
    COPY(t->end_date, entry, "endTime", "2099-12-31");
    t->status = flag(entry, "status", 1);
    t->max_count = (int)fixtures_number(entry, "maxCount", 0);
    const char *created = fixtures_string(entry, "createTime", NULL);
    t->created_ms = clock_now_ms();
    if (created && !parse_create_time(created, &t->created_ms)) {
        snprintf(err, err_size, "tenant %s: createTime '%.32s' is not yyyy-MM-dd[ HH:mm:ss]",
                 t->company_id, created);
        return false;
    }
    return true;
}

static bool load_agents(const cJSON *list, const char *company_id, char *err, size_t err_size)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list)
    {
        struct store_agent agent;
        if (!fixtures_agent_from_json(entry, company_id, &agent, err, err_size))
            return false;
        if (store_agent_insert(&agent) != STORE_OK) {
            snprintf(err, err_size, "agent %s is a duplicate email or the store failed",
                     agent.email);
            return false;
        }
    }
    return true;
}

/* The staff id of an entry: "staffId", else the agent with "email". */
static bool staff_of(const cJSON *entry, char *out, size_t size, char *err, size_t err_size)
{
    const char *id = fixtures_string(entry, "staffId", NULL);
    const char *email = fixtures_string(entry, "email", NULL);
    struct store_agent agent;
    if (id) {
        snprintf(out, size, "%s", id);
        return true;
    }
    if (email && store_agent_get(email, &agent) == STORE_OK) {
        snprintf(out, size, "%s", agent.agent_id);
        return true;
    }
    snprintf(err, err_size, "an entry names neither staffId nor a known agent email (%.64s)",
             email ? email : "");
    return false;
}

static bool load_staff_logs(const cJSON *list, const char *company_id, char *err, size_t err_size)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list)
    {
        struct store_staff_log log = {0};
        snprintf(log.company_id, sizeof log.company_id, "%s", company_id);
        if (!staff_of(entry, log.staff_id, sizeof log.staff_id, err, err_size))
            return false;
        log.datetime_ms = (int64_t)fixtures_number(entry, "datetime", 0);
        log.source = (int)fixtures_number(entry, "source", 0);
        COPY(log.action, entry, "operationAction", "在线");
        if (store_staff_log_put(&log) != STORE_OK) {
            snprintf(err, err_size, "the store refused a staff log");
            return false;
        }
    }
    return true;
}

static bool load_chats(const cJSON *list, const struct store_tenant *t, char *err, size_t err_size)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list)
    {
        struct store_chat c = {0};
        snprintf(c.union_code, sizeof c.union_code, "%s", t->union_code);
        snprintf(c.company_id, sizeof c.company_id, "%s", t->company_id);
        COPY(c.partner_id, entry, "partnerId", "");
        COPY(c.company_logo, entry, "companyLogo", "");
        COPY(c.visitor_id, entry, "visitorId", "");
        COPY(c.last_cid, entry, "lastCid", "");
        COPY(c.last_msg_content, entry, "lastMsgContent", "");
        c.last_msg_time_ms = (int64_t)fixtures_number(entry, "lastMsgTime", 0);
        c.last_msg_type = (int)fixtures_number(entry, "lastMsgType", 0);
        c.unread = (int)fixtures_number(entry, "unReadNum", 0);
        if (!c.partner_id[0] || store_chat_put(&c) != STORE_OK) {
            snprintf(err, err_size, "a chat needs a partnerId (or the store failed)");
            return false;
        }
    }
    return true;
}

static bool load_stats(const cJSON *list, const char *company_id, char *err, size_t err_size)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, list)
    {
        struct store_staff_stat s = {0};
        int64_t day;
        snprintf(s.company_id, sizeof s.company_id, "%s", company_id);
        COPY(s.date, entry, "date", "");
        if (!clock_parse_date(s.date, &day)) {
            snprintf(err, err_size, "a stats entry needs a date like 2020-01-05");
            return false;
        }
        if (!staff_of(entry, s.staff_id, sizeof s.staff_id, err, err_size))
            return false;
        s.sessions = (int)fixtures_number(entry, "sessions", 0);
        s.human_consults = (int)fixtures_number(entry, "humanConsults", 0);
        s.first_responses = (int)fixtures_number(entry, "firstResponses", 0);
        s.transfer_first_responses = (int)fixtures_number(entry, "transferFirstResponses", 0);
        s.first_in60s = (int)fixtures_number(entry, "firstResponsesIn60s", 0);
        s.first_response_s = (int64_t)fixtures_number(entry, "firstResponseSeconds", 0);
        s.responses = (int)fixtures_number(entry, "responses", 0);
        s.response_s = (int64_t)fixtures_number(entry, "responseSeconds", 0);
        if (store_staff_stat_put(&s) != STORE_OK) {
            snprintf(err, err_size, "the store refused a stats entry");
            return false;
        }
    }
    return true;
}

static bool load_tenant(const cJSON *entry, const char *union_code, char *err, size_t err_size)
{
    struct store_tenant t;
    if (!read_tenant(entry, union_code, &t, err, err_size))
        return false;
    if (store_tenant_put(&t) != STORE_OK) {
        snprintf(err, err_size, "tenant %s: duplicate companyId/customerCode or store failure",
                 t.company_id);
        return false;
    }
    return load_agents(cJSON_GetObjectItemCaseSensitive(entry, "agents"), t.company_id, err,
                       err_size) &&
           load_staff_logs(cJSON_GetObjectItemCaseSensitive(entry, "staffLogs"), t.company_id, err,
                           err_size) &&
           load_chats(cJSON_GetObjectItemCaseSensitive(entry, "chats"), &t, err, err_size) &&
           load_stats(cJSON_GetObjectItemCaseSensitive(entry, "stats"), t.company_id, err,
                      err_size);
}

static bool load_platform(const cJSON *entry, char *err, size_t err_size)
{
    struct store_platform p = {0};
    COPY(p.union_code, entry, "unionCode", "");
    COPY(p.union_key, entry, "unionKey", "");
    COPY(p.admin_email, entry, "email", "");
    COPY(p.name, entry, "name", "");
    p.max_seats = (int)fixtures_number(entry, "maxSeats", 0);
    if (!p.union_code[0] || !p.union_key[0]) {
        snprintf(err, err_size, "unionCode and unionKey are required strings");
        return false;
    }
    if (store_platform_put(&p) != STORE_OK) {
        snprintf(err, err_size, "the store refused platform %s", p.union_code);
        return false;
    }
    int index = 0;
    const cJSON *tenant;
    char why[256];
    cJSON_ArrayForEach(tenant, cJSON_GetObjectItemCaseSensitive(entry, "tenants"))
    {
        if (!load_tenant(tenant, p.union_code, why, sizeof why)) {
            snprintf(err, err_size, "%s tenants[%d]: %s", p.union_code, index, why);
            return false;
        }
        index++;
    }
    return true;
}

bool fixtures_load_platforms(const cJSON *section, char *err, size_t err_size)
{
    int index = 0;
    const cJSON *entry;
    char why[384];
    cJSON_ArrayForEach(entry, section)
    {
        if (!load_platform(entry, why, sizeof why)) {
            snprintf(err, err_size, "platforms[%d]: %s", index, why);
            return false;
        }
        index++;
    }
    return true;
}
