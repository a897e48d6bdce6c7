/*
 * api/tenantpro_reports.c - the platform-wide reports: tenantExportData
 * (type 7 session statistics, 8 response-time statistics) and the export
 * file it points at, getBatchAppKey and tenantStaffJobList.
 *
 * Their sign formula is not published; tenantpro_auth_report applies the one
 * --report-sign names. Envelopes differ per call exactly as the vendor page
 * shows: ret_code/ret_msg for tenantExportData, retCode "000000" for the two
 * others.
 *
 * The export: tenantExportData records a job (tp_exports) and answers a
 * filePath on the mock itself, GET /tenantpro/export/<id>.csv, which serves
 * that day's figures of every tenant of the platform as CSV (UTF-8 with a
 * BOM so spreadsheet programs show Chinese names), built from the store when
 * downloaded. The id is md5("<seed>:export:<unionCode>:<sequence>").
 *
 * This file must never touch SQL or build an envelope itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/tenantpro.h"
#include "auth.h"
#include "clock.h"

#define EXPORT_PREFIX "/tenantpro/export/"

/* ---- tenantExportData ---- */

static void make_export_id(long long seq, struct store_export *e)
{
    char number[24];
    snprintf(number, sizeof number, "%lld", seq);
    tenantpro_make_id("export", e->union_code, number, e->export_id);
}

static bool read_export_request(const struct request *rq, struct reply *rp, struct store_export *e)
{
    static const char *const required[] = {"type", "date"};
    long type;
    int64_t day;
    if (!tenantpro_require(rq, rp, required, 2) ||
        !tenantpro_int_param(rq, rp, "type", 7, 8, 7, &type))
        return false;
    const char *date = request_param(rq, "date");
    if (!clock_parse_date(date, &day)) {
        reply_named_error(rq, rp, "tp.bad_param");
        reply_diag(rp, "date must be yyyy-MM-dd, got '%.32s'", date);
        return false;
    }
    snprintf(e->union_code, sizeof e->union_code, "%s", rq->caller.union_code);
    snprintf(e->result_date, sizeof e->result_date, "%s", date);
    e->task_type = (int)type;
    e->created_ms = clock_now_ms();
    return true;
}

static void tenant_export_data(struct request *rq, struct reply *rp)
{
    struct store_export e = {0};
    if (!read_export_request(rq, rp, &e))
        return;
    if (store_export_add(&e, make_export_id) != STORE_OK) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed recording the export");
        return;
    }
    char path[512], created[24], type[8];
    snprintf(path, sizeof path, "%s://%s" EXPORT_PREFIX "%s.csv", rq->scheme ? rq->scheme : "http",
             rq->host ? rq->host : "127.0.0.1", e.export_id);
    snprintf(created, sizeof created, "%lld", (long long)e.created_ms);
    snprintf(type, sizeof type, "%d", e.task_type);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "filePath", path);
    cJSON_AddStringToObject(item, "unionCode", e.union_code);
    cJSON_AddStringToObject(item, "createTime", created);
    cJSON_AddStringToObject(item, "resultDate", e.result_date);
    cJSON_AddStringToObject(item, "taskType", type);
    reply_tenantpro_report(rq, rp, item);
}

/* ---- the export file ---- */

struct csv {
    char *data;
    size_t len, cap;
    bool failed;
};

static void csv_printf(struct csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void csv_printf(struct csv *c, const char *fmt, ...)
{
    for (int attempt = 0; attempt < 2 && !c->failed; attempt++) {
        va_list ap;
        va_start(ap, fmt);
        int n =
            vsnprintf(c->data ? c->data + c->len : NULL, c->data ? c->cap - c->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            c->failed = true;
            return;
        }
        if (c->data && c->len + (size_t)n < c->cap) {
            c->len += (size_t)n;
            return;
        }
        size_t cap = (c->cap + (size_t)n + 1) * 2;
        char *grown = realloc(c->data, cap);
        if (!grown) {
            c->failed = true;
            return;
        }
        c->data = grown;
        c->cap = cap;
    }
}

/* A CSV field: quoted, inner quotes doubled (RFC 4180). */
static void csv_quoted(struct csv *c, const char *text)
{
    csv_printf(c, "\"");
    for (const char *p = text; *p;) {
        size_t run = strcspn(p, "\"");
        csv_printf(c, "%.*s", (int)run, p);
        p += run;
        if (*p == '"') {
            csv_printf(c, "\"\"");
            p++;
        }
    }
    csv_printf(c, "\"");
}

/* "100%" / "00%", the vendor's way of printing a share (tenantStaffJobList). */
static void percent(int part, int whole, char out[8])
{
    int pct = whole > 0 ? (int)((100LL * part + whole / 2) / whole) : 0;
    snprintf(out, 8, "%02d%%", pct);
}

struct csv_rows {
    struct csv *csv;
    int type;
};

static void add_csv_row(const struct store_staff_stat *s, void *arg)
{
    struct csv_rows *rows = arg;
    struct csv *c = rows->csv;
    csv_printf(c, "%s,%s,", s->date, s->company_id);
    csv_quoted(c, s->company_name);
    if (rows->type == 7) {
        csv_printf(c, ",%d,%d,%d,%d\r\n", s->sessions, s->human_consults, s->first_responses,
                   s->transfer_first_responses);
        return;
    }
    char rate[8];
    percent(s->first_in60s, s->first_responses, rate);
    csv_printf(c, ",%d,%d,%s,%.1f,%d,%.1f\r\n", s->first_responses, s->first_in60s, rate,
               s->first_responses ? (double)s->first_response_s / s->first_responses : 0.0,
               s->responses, s->responses ? (double)s->response_s / s->responses : 0.0);
}

static const char session_header[] = "date,companyId,companyName,sessions,"
                                     "humanVisitorConsults,firstResponses,"
                                     "transferFirstResponses\r\n";
static const char response_header[] = "date,companyId,companyName,firstResponses,"
                                      "firstResponsesIn60s,firstResponseIn60sRate,"
                                      "avgFirstResponseSeconds,responses,avgResponseSeconds\r\n";

static void export_file(struct request *rq, struct reply *rp)
{
    char id[72];
    const char *tail = rq->route_tail ? rq->route_tail : "";
    size_t len = strlen(tail);
    struct store_export e;
    if (len < 5 || len - 4 >= sizeof id || strcmp(tail + len - 4, ".csv")) {
        reply_admin_error(rp, 404, "exports are named <id>.csv, got '%.80s'", tail);
        return;
    }
    memcpy(id, tail, len - 4);
    id[len - 4] = '\0';
    if (store_export_get(id, &e) != STORE_OK) {
        reply_admin_error(rp, 404, "no export '%s'; tenantExportData makes them", id);
        return;
    }
    struct csv c = {0};
    struct csv_rows rows = {&c, e.task_type};
    csv_printf(&c, "\xEF\xBB\xBF%s", e.task_type == 7 ? session_header : response_header);
    enum store_result r = store_tenant_day_stats(e.union_code, e.result_date, add_csv_row, &rows);
    if (r != STORE_OK || c.failed) {
        free(c.data);
        reply_admin_error(rp, 500, "the export could not be built");
        return;
    }
    char filename[96];
    snprintf(filename, sizeof filename, "%s-%d-%s.csv", e.union_code, e.task_type, e.result_date);
    reply_download(rp, "text/csv;charset=UTF-8", filename, c.data, c.len);
    free(c.data);
}

/* ---- getBatchAppKey ---- */

static void add_app_key(const struct store_tenant *t, void *arg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "appId", t->appid);
    cJSON_AddStringToObject(o, "appKey", t->app_key);
    cJSON_AddStringToObject(o, "companyId", t->company_id);
    cJSON_AddStringToObject(o, "companyName", t->name);
    cJSON_AddItemToArray(arg, o);
}

static void get_batch_app_key(struct request *rq, struct reply *rp)
{
    struct store_tenant_filter f = {
        .union_code = rq->caller.union_code, .open_status = -1, .limit = -1};
    int total;
    cJSON *data = cJSON_CreateArray();
    if (store_tenants_find(&f, &total, add_app_key, data) != STORE_OK) {
        cJSON_Delete(data);
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed listing tenants");
        return;
    }
    char now[20];
    clock_format_datetime(clock_now_s(), now);
    reply_tenantpro_batch(rq, rp, rq->caller.union_code, data, now);
}

/* ---- tenantStaffJobList ---- */

static void add_staff_job(const struct store_staff_stat *s, void *arg)
{
    char rate[8];
    percent(s->first_in60s, s->first_responses, rate);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "staffid", s->staff_id);
    cJSON_AddStringToObject(o, "companyid", s->company_id);
    cJSON_AddNumberToObject(o, "first_response_time_set", s->first_responses);
    cJSON_AddNumberToObject(o, "transfer_first_response_count", s->transfer_first_responses);
    cJSON_AddNumberToObject(o, "session_human_visitor_consult", s->human_consults);
    cJSON_AddStringToObject(o, "first_response_in60s_rate", rate);
    cJSON_AddItemToArray(arg, o);
}

static bool read_date_range(const struct request *rq, struct reply *rp, const char **from,
                            const char **to)
{
    static const char *const required[] = {"start_date", "end_date"};
    int64_t a, b;
    if (!tenantpro_require(rq, rp, required, 2))
        return false;
    *from = request_param(rq, "start_date");
    *to = request_param(rq, "end_date");
    if (clock_parse_date(*from, &a) && clock_parse_date(*to, &b) && a <= b)
        return true;
    reply_named_error(rq, rp, "tp.bad_param");
    reply_diag(rp,
               "start_date and end_date are yyyy-MM-dd dates, start not after end; got "
               "'%.32s' .. '%.32s'",
               *from, *to);
    return false;
}

static void tenant_staff_job_list(struct request *rq, struct reply *rp)
{
    const char *from, *to;
    if (!read_date_range(rq, rp, &from, &to))
        return;
    cJSON *items = cJSON_CreateArray();
    if (store_staff_stats(rq->caller.union_code, from, to, add_staff_job, items) != STORE_OK) {
        cJSON_Delete(items);
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading statistics");
        return;
    }
    reply_tenantpro_items(rq, rp, "000000", items);
}

static const struct route rows[] = {
    {"tenantpro_tenant_export_data", "POST", "/tenantpro/tenantReport/tenantExportData",
     &tenantpro_auth_report, tenant_export_data, ENVELOPE_TP_V5,
     "!unionCode,!ts,!sign,!type:n,!date", false},
    {"tenantpro_export_file", "GET", EXPORT_PREFIX "*", &auth_none, export_file, ENVELOPE_ADMIN, "",
     false},
    {"tenantpro_get_batch_app_key", "POST", "/tenantpro/getBatchAppKey", &tenantpro_auth_report,
     get_batch_app_key, ENVELOPE_TENANTPRO, "!unionCode,!ts,!sign", false},
    {"tenantpro_tenant_staff_job_list", "POST", "/tenantpro/tenantReport/tenantStaffJobList",
     &tenantpro_auth_report, tenant_staff_job_list, ENVELOPE_TENANTPRO,
     "!union_code,!ts,!sign,!start_date,!end_date", false},
};

const struct route_slice tenantpro_reports_route_slice = ROUTE_SLICE(rows);
