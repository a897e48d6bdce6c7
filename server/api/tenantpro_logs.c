/*
 * api/tenantpro_logs.c - GET /tenantpro/coutomer/getStaffLogInfos (the
 * vendor's spelling), the agents' status changes of every tenant of the
 * platform, grouped company → staff → log lines.
 *
 * token = MD5(unionCode+ts+unionKey). At most one week is returned; the
 * window follows the vendor's four documented cases, with "now" from the
 * mock clock (tenantpro_staff_window, unit-tested in tests/unit).
 *
 * This file must never read the time but through clock.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/tenantpro.h"
#include "clock.h"

static bool parse_ms(const char *text, bool *present, int64_t *out)
{
    *present = text && *text;
    if (!*present)
        return true;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0)
        return false;
    *out = v;
    return true;
}

bool tenantpro_staff_window(const char *start, const char *end, int64_t now_ms, int64_t *from_ms,
                            int64_t *to_ms)
{
    bool has_start, has_end;
    int64_t s = 0, e = 0;
    if (!parse_ms(start, &has_start, &s) || !parse_ms(end, &has_end, &e))
        return false;
    if (has_start && has_end) {
        /* 1) both: a span over a week keeps the end and moves the start. */
        if (s > e)
            return false;
        if (e - s > TENANTPRO_WEEK_MS)
            s = e - TENANTPRO_WEEK_MS;
    } else if (!has_start && !has_end) {
        /* 2) neither: the week up to now. */
        e = now_ms;
        s = now_ms - TENANTPRO_WEEK_MS;
    } else if (has_start) {
        /* 3) start only: the week after it, ending at the largest
         * timestamp rather than overflowing past it. */
        e = s > INT64_MAX - TENANTPRO_WEEK_MS ? INT64_MAX : s + TENANTPRO_WEEK_MS;
    } else {
        /* 4) end only: the week before it. */
        s = e - TENANTPRO_WEEK_MS;
    }
    *from_ms = s;
    *to_ms = e;
    return true;
}

/* Builds the nested lists while the store walks logs in company/staff order. */
struct log_groups {
    cJSON *items;
    cJSON *staff_infos; /* the current company's companyStaffInfos */
    cJSON *log_infos;   /* the current staff's staffLogInfos */
    char company_id[64];
    char staff_id[64];
};

static void open_company(struct log_groups *g, const char *company_id)
{
    cJSON *company = cJSON_CreateObject();
    cJSON_AddStringToObject(company, "companyId", company_id);
    g->staff_infos = cJSON_AddArrayToObject(company, "companyStaffInfos");
    cJSON_AddItemToArray(g->items, company);
    snprintf(g->company_id, sizeof g->company_id, "%s", company_id);
    g->staff_id[0] = '\0';
}

static void open_staff(struct log_groups *g, const char *staff_id)
{
    cJSON *staff = cJSON_CreateObject();
    cJSON_AddStringToObject(staff, "staffId", staff_id);
    g->log_infos = cJSON_AddArrayToObject(staff, "staffLogInfos");
    cJSON_AddItemToArray(g->staff_infos, staff);
    snprintf(g->staff_id, sizeof g->staff_id, "%s", staff_id);
}

static void add_log(const struct store_staff_log *log, void *arg)
{
    struct log_groups *g = arg;
    if (!g->staff_infos || strcmp(g->company_id, log->company_id))
        open_company(g, log->company_id);
    if (!g->staff_id[0] || strcmp(g->staff_id, log->staff_id))
        open_staff(g, log->staff_id);
    char when[20];
    clock_format_datetime(log->datetime_ms / 1000, when);
    cJSON *line = cJSON_CreateObject();
    cJSON_AddNumberToObject(line, "datetime", (double)log->datetime_ms);
    cJSON_AddStringToObject(line, "datetimeFormat", when);
    cJSON_AddNumberToObject(line, "source", log->source);
    cJSON_AddStringToObject(line, "operationAction", log->action);
    cJSON_AddItemToArray(g->log_infos, line);
}

static void get_staff_log_infos(struct request *rq, struct reply *rp)
{
    int64_t from, to;
    const char *start = request_param(rq, "startTime");
    const char *end = request_param(rq, "endTime");
    if (!tenantpro_staff_window(start, end, clock_now_ms(), &from, &to)) {
        reply_named_error(rq, rp, "tp.bad_param");
        reply_diag(rp, "startTime and endTime are millisecond timestamps, start before end");
        return;
    }
    struct log_groups g = {.items = cJSON_CreateArray()};
    if (store_staff_logs(rq->caller.union_code, from, to, add_log, &g) != STORE_OK) {
        cJSON_Delete(g.items);
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading staff logs");
        return;
    }
    char a[20], b[20];
    clock_format_datetime(from / 1000, a);
    clock_format_datetime(to / 1000, b);
    reply_diag(rp, "window %s .. %s (UTC+8)", a, b);
    reply_tenantpro_items(rq, rp, "200000", g.items);
}

static const struct route rows[] = {
    {"tenantpro_get_staff_log_infos", "GET", "/tenantpro/coutomer/getStaffLogInfos",
     &tenantpro_auth_platform, get_staff_log_infos, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!token,startTime:ms,endTime:ms", false},
};

const struct route_slice tenantpro_logs_route_slice = ROUTE_SLICE(rows);
