/*
 * api/tenantpro.c - the e-commerce platform's tenant and agent calls:
 * getTenantList, addTenant.json, updateTenant.json, addServiceInfoConfim.json,
 * updateServiceInfoConfim.json, deleteServiceInfoConfim (paths as the vendor
 * spells them, "Confim" included).
 *
 * All sign token = MD5(unionCode+ts+email+unionKey) (tenantpro_auth_email)
 * and answer {"retCode","retMsg","msg"}. A tenant is found by its
 * customerCode within the caller's platform; a tenant of another platform is
 * "商户不存在!". Seats: a tenant holds at most maxCount agents, and a platform
 * with maxSeats in its fixture hands out at most that many seats in all;
 * either overflow is 200007 "在线客服数量不足".
 *
 * This file must never touch SQL or build an envelope itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/tenantpro.h"
#include "clock.h"

#define N(array) (sizeof(array) / sizeof((array)[0]))

/* Field limits in characters; docs/tenantpro.md lists them. The vendor
 * publishes only the 220001 message, not the limits. The byte limit is what
 * the store's field holds: it only bites on bytes that are no UTF-8 (a lone
 * continuation byte counts as no character), never on a value within its
 * character limit, as the assertions below keep true for the tenant fields. */
#define TENANT_BYTES(member) ((int)sizeof(((struct store_tenant *)0)->member) - 1)
#define AGENT_BYTES(member) ((int)sizeof(((struct store_agent *)0)->member) - 1)
#define FITS_UTF8(chars, member) (4 * (chars) <= TENANT_BYTES(member))

static const struct tenantpro_limit tenant_limits[] = {
    {"companyName", 100, TENANT_BYTES(name)},
    {"email", 100, TENANT_BYTES(email)},
    {"password", 64, TENANT_BYTES(password)},
    {"contactName", 50, TENANT_BYTES(contact_name)},
    {"contactTel", 20, TENANT_BYTES(contact_tel)},
    {"customerCode", 64, TENANT_BYTES(customer_code)},
    {"icon", 500, TENANT_BYTES(icon)},
};
_Static_assert(FITS_UTF8(100, name) && FITS_UTF8(64, password) && FITS_UTF8(50, contact_name) &&
                   FITS_UTF8(20, contact_tel) && FITS_UTF8(64, customer_code) &&
                   FITS_UTF8(500, icon),
               "a tenant field cannot hold its character limit of four-byte UTF-8");

static const struct tenantpro_limit agent_limits[] = {
    {"nick", 40, AGENT_BYTES(nick)},        {"name", 40, AGENT_BYTES(name)},
    {"serviceNick", 40, AGENT_BYTES(nick)}, {"serviceName", 40, AGENT_BYTES(name)},
    {"email", 100, AGENT_BYTES(email)},     {"password", 64, AGENT_BYTES(password)},
    {"phoneNo", 20, AGENT_BYTES(phone)},    {"customerCode", 64, TENANT_BYTES(customer_code)},
};

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Answers a refused write with the vendor's text for the reason. */
static void refused(const struct request *rq, struct reply *rp, enum store_result r,
                    enum store_tp_refusal why)
{
    if (r != STORE_CONFLICT) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed");
        return;
    }
    switch (why) {
    case STORE_TP_CUSTOMER_CODE_TAKEN:
        reply_named_error(rq, rp, "tp.customer_code_taken");
        reply_diag(rp, "customerCode '%.256s' is taken on this platform",
                   request_param(rq, "customerCode"));
        return;
    case STORE_TP_EMAIL_TAKEN:
        reply_named_error(rq, rp, "tp.email_taken");
        reply_diag(rp, "email '%.128s' belongs to another tenant's admin or to an agent",
                   request_param(rq, "email"));
        return;
    case STORE_TP_NO_SEATS:
        reply_vendor_error(rq, rp, "200007", NULL);
        return;
    case STORE_TP_TENANT_MISSING:
    case STORE_TP_NONE:
        break;
    }
    reply_named_error(rq, rp, "tp.tenant_missing");
    reply_diag(rp, "no tenant with customerCode '%.256s' on platform %s (gone meanwhile)",
               request_param(rq, "customerCode"), rq->caller.union_code);
}

/* The caller's tenant named by customerCode; "商户不存在!" when absent. */
static bool find_tenant(const struct request *rq, struct reply *rp, struct store_tenant *out)
{
    const char *code = request_param(rq, "customerCode");
    enum store_result r = store_tenant_by_code(rq->caller.union_code, code, out);
    if (r == STORE_OK)
        return true;
    if (r == STORE_NOT_FOUND) {
        reply_named_error(rq, rp, "tp.tenant_missing");
        reply_diag(rp, "no tenant with customerCode '%.256s' on platform %s", code ? code : "",
                   rq->caller.union_code);
    } else {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading the tenant");
    }
    return false;
}

static bool looks_like_email(const struct request *rq, struct reply *rp)
{
    const char *email = request_param(rq, "email");
    if (email && strchr(email, '@'))
        return true;
    reply_named_error(rq, rp, "tp.bad_param");
    reply_diag(rp, "email must be an email address, got '%.128s'", email ? email : "");
    return false;
}

/* ---- getTenantList ---- */

static cJSON *tenant_item(const struct store_tenant *t)
{
    char created[11];
    clock_format_date(t->created_ms / 1000, created);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "companyId", t->company_id);
    cJSON_AddStringToObject(o, "companyName", t->name);
    cJSON_AddStringToObject(o, "email", t->email);
    cJSON_AddStringToObject(o, "contactTel", t->contact_tel);
    cJSON_AddStringToObject(o, "contactName", t->contact_name);
    cJSON_AddNumberToObject(o, "serviceNum", t->agent_count);
    cJSON_AddNumberToObject(o, "maxServiceCount", t->max_count);
    cJSON_AddStringToObject(o, "createTime", created);
    cJSON_AddStringToObject(o, "endTime", t->end_date);
    cJSON_AddBoolToObject(o, "tenantStatus", t->status == 1);
    cJSON_AddStringToObject(o, "appKey", t->app_key);
    cJSON_AddNullToObject(o, "services");
    if (t->has_customer_code)
        cJSON_AddStringToObject(o, "customerCode", t->customer_code);
    else
        cJSON_AddNullToObject(o, "customerCode");
    static const char *const unset[] = {"customfieldsCode", "customfieldsName", "provinceId",
                                        "provinceName",     "cityId",           "cityName",
                                        "areaId",           "areaName"};
    for (size_t i = 0; i < N(unset); i++)
        cJSON_AddNullToObject(o, unset[i]);
    return o;
}

static void add_tenant_item(const struct store_tenant *t, void *arg)
{
    cJSON_AddItemToArray(arg, tenant_item(t));
}

/* startDate/endDate on the creation date, both inclusive. */
static bool date_filter(const struct request *rq, struct reply *rp, struct store_tenant_filter *f)
{
    const char *start = request_param(rq, "startDate");
    const char *end = request_param(rq, "endDate");
    int64_t s;
    if (start && *start) {
        if (!clock_parse_date(start, &s))
            goto bad;
        f->has_from = true;
        f->from_ms = s * 1000;
    }
    if (end && *end) {
        if (!clock_parse_date(end, &s))
            goto bad;
        f->has_to = true;
        f->to_ms = (s + 24LL * 3600) * 1000;
    }
    return true;
bad:
    reply_named_error(rq, rp, "tp.bad_param");
    reply_diag(rp, "startDate and endDate are dates like 2018-09-04");
    return false;
}

/* getTenantList is signed with the platform's super-admin email. */
static bool is_platform_admin(const struct request *rq, struct reply *rp,
                              const struct store_platform *platform)
{
    const char *email = request_param(rq, "email");
    if (email && !strcasecmp(email, platform->admin_email))
        return true;
    reply_vendor_error(rq, rp, "999998", NULL);
    reply_diag(rp, "email '%.128s' is not the super-admin of platform %s (%s)", email ? email : "",
               platform->union_code, platform->admin_email);
    return false;
}

static bool read_tenant_filter(const struct request *rq, struct reply *rp,
                               struct store_tenant_filter *f)
{
    static const char *const required[] = {"openStatus"};
    long open_status, input_status;
    if (!tenantpro_require(rq, rp, required, 1) ||
        !tenantpro_int_param(rq, rp, "openStatus", -1, 1, -1, &open_status) ||
        !tenantpro_int_param(rq, rp, "inputStatus", 1, 4, 0, &input_status) ||
        !date_filter(rq, rp, f))
        return false;
    f->union_code = rq->caller.union_code;
    f->open_status = (int)open_status;
    f->input_value = request_param(rq, "inputValue");
    f->input_status = f->input_value && *f->input_value ? (int)input_status : 0;
    return true;
}

static void get_tenant_list(struct request *rq, struct reply *rp)
{
    struct store_platform platform;
    struct store_tenant_filter f = {0};
    long page_no, page_size;
    if (!tenantpro_platform(rq, rp, &platform) || !is_platform_admin(rq, rp, &platform) ||
        !read_tenant_filter(rq, rp, &f) ||
        !tenantpro_int_param(rq, rp, "pageNo", 1, 1000000, 1, &page_no) ||
        !tenantpro_int_param(rq, rp, "pageSize", 1, 1000, -1, &page_size))
        return;
    /* No pageSize: pages of 10, and "pageSize":null as in the vendor's example. */
    int size = page_size < 0 ? 10 : (int)page_size;
    f.limit = size;
    f.offset = (int)((page_no - 1) * size > 2000000000 ? 2000000000 : (page_no - 1) * size);
    int total = 0;
    cJSON *items = cJSON_CreateArray();
    if (store_tenants_find(&f, &total, add_tenant_item, items) != STORE_OK) {
        cJSON_Delete(items);
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed listing tenants");
        return;
    }
    reply_tenantpro_page(rq, rp, (int)page_no, (total + size - 1) / size, total, (int)page_size,
                         items);
}

/* ---- addTenant.json / updateTenant.json ---- */

static bool read_tenant_fields(const struct request *rq, struct reply *rp, struct store_tenant *t)
{
    long max_count;
    if (!tenantpro_check_lengths(rq, rp, tenant_limits, N(tenant_limits)) ||
        !looks_like_email(rq, rp) ||
        !tenantpro_int_param(rq, rp, "maxCount", 0, 100000, 0, &max_count))
        return false;
    t->max_count = (int)max_count;
    copy(t->union_code, sizeof t->union_code, rq->caller.union_code);
    copy(t->customer_code, sizeof t->customer_code, request_param(rq, "customerCode"));
    t->has_customer_code = true;
    copy(t->name, sizeof t->name, request_param(rq, "companyName"));
    copy(t->email, sizeof t->email, request_param(rq, "email"));
    return true;
}

static void add_tenant(struct request *rq, struct reply *rp)
{
    static const char *const required[] = {"companyName", "email", "maxCount", "password",
                                           "customerCode"};
    struct store_platform platform;
    struct store_tenant t = {0};
    if (!tenantpro_platform(rq, rp, &platform) ||
        !tenantpro_require(rq, rp, required, N(required)) || !read_tenant_fields(rq, rp, &t))
        return;
    copy(t.contact_name, sizeof t.contact_name, request_param(rq, "contactName"));
    copy(t.contact_tel, sizeof t.contact_tel, request_param(rq, "contactTel"));
    copy(t.password, sizeof t.password, request_param(rq, "password"));
    copy(t.icon, sizeof t.icon, request_param(rq, "icon"));
    tenantpro_make_id("company", t.union_code, t.customer_code, t.company_id);
    tenantpro_make_id("appid", t.union_code, t.customer_code, t.appid);
    tenantpro_make_id("appkey", t.union_code, t.customer_code, t.app_key);
    t.status = 1;
    t.created_ms = clock_now_ms();
    copy(t.end_date, sizeof t.end_date, "2099-12-31");
    enum store_tp_refusal why;
    enum store_result r = store_tenant_add(&t, platform.max_seats, &why);
    if (r != STORE_OK) {
        refused(rq, rp, r, why);
        if (why == STORE_TP_NO_SEATS)
            reply_diag(rp, "platform %s hands out %d seats in all; maxCount %d does not fit",
                       platform.union_code, platform.max_seats, t.max_count);
        return;
    }
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "appKey", t.app_key);
    cJSON_AddStringToObject(msg, "contactName", t.contact_name);
    cJSON_AddStringToObject(msg, "sysNum", t.company_id);
    reply_tenantpro_created(rq, rp, msg);
}

static void update_tenant(struct request *rq, struct reply *rp)
{
    static const char *const required[] = {"companyName", "maxCount", "customerCode", "email"};
    struct store_platform platform;
    struct store_tenant current, t = {0};
    if (!tenantpro_platform(rq, rp, &platform) ||
        !tenantpro_require(rq, rp, required, N(required)) || !read_tenant_fields(rq, rp, &t) ||
        !find_tenant(rq, rp, &current))
        return;
    /* Optional fields left out keep their value. */
    const char *contact_name = request_param(rq, "contactName");
    const char *contact_tel = request_param(rq, "contactTel");
    copy(t.contact_name, sizeof t.contact_name, contact_name ? contact_name : current.contact_name);
    copy(t.contact_tel, sizeof t.contact_tel, contact_tel ? contact_tel : current.contact_tel);
    enum store_tp_refusal why;
    enum store_result r = store_tenant_update(&t, platform.max_seats, &why);
    if (r != STORE_OK) {
        refused(rq, rp, r, why);
        if (why == STORE_TP_NO_SEATS)
            reply_diag(rp,
                       "maxCount %d: the tenant has %d agents, the platform %d seats (0: "
                       "unlimited)",
                       t.max_count, current.agent_count, platform.max_seats);
        return;
    }
    reply_tenantpro(rp, "200000", reply_message("200000", rq->lang), NULL);
}

/* ---- agents ---- */

static bool valid_role(const struct request *rq, struct reply *rp)
{
    static const char *const roles[] = {"1111", "2222", "5555", "8888"};
    const char *role = request_param(rq, "roleId");
    for (size_t i = 0; role && i < N(roles); i++)
        if (!strcmp(role, roles[i]))
            return true;
    reply_named_error(rq, rp, "tp.bad_param");
    reply_diag(rp,
               "roleId must be 1111 (online agent), 2222 (online admin), 5555 (ticket "
               "agent) or 8888 (ticket admin), got '%.16s'",
               role ? role : "");
    return false;
}

static void add_service(struct request *rq, struct reply *rp)
{
    static const char *const required[] = {"customerCode", "nick",    "name",        "email",
                                           "roleId",       "phoneNo", "maxAcceptNum"};
    struct store_tenant tenant;
    long max_accept;
    if (!tenantpro_require(rq, rp, required, N(required)) ||
        !tenantpro_check_lengths(rq, rp, agent_limits, N(agent_limits)) ||
        !looks_like_email(rq, rp) || !valid_role(rq, rp) ||
        !tenantpro_int_param(rq, rp, "maxAcceptNum", 0, 10000, 0, &max_accept) ||
        !find_tenant(rq, rp, &tenant))
        return;
    struct store_agent a = {0};
    copy(a.company_id, sizeof a.company_id, tenant.company_id);
    copy(a.email, sizeof a.email, request_param(rq, "email"));
    tenantpro_make_id("agent", a.company_id, a.email, a.agent_id);
    copy(a.nick, sizeof a.nick, request_param(rq, "nick"));
    copy(a.name, sizeof a.name, request_param(rq, "name"));
    copy(a.phone, sizeof a.phone, request_param(rq, "phoneNo"));
    copy(a.role_id, sizeof a.role_id, request_param(rq, "roleId"));
    copy(a.password, sizeof a.password, request_param(rq, "password"));
    a.max_accept = (int)max_accept;
    a.status = 1;
    a.created_s = clock_now_s();
    enum store_tp_refusal why;
    enum store_result r = store_tenant_agent_add(&a, &why);
    if (r != STORE_OK) {
        refused(rq, rp, r, why);
        if (why == STORE_TP_NO_SEATS)
            reply_diag(rp, "tenant %s has no seat left: %d agents of maxCount %d when read",
                       tenant.company_id, tenant.agent_count, tenant.max_count);
        return;
    }
    reply_tenantpro(rp, "200000", reply_message("200000", rq->lang), NULL);
}

/* The tenant's agent named by email. The vendor documents one text for an
 * agent it cannot change, "客户邮箱未激活...": unknown, elsewhere or disabled. */
static bool find_agent(const struct request *rq, struct reply *rp,
                       const struct store_tenant *tenant, struct store_agent *out)
{
    const char *email = request_param(rq, "email");
    enum store_result r = store_agent_get(email, out);
    if (r == STORE_ERROR) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed reading the agent");
        return false;
    }
    if (r == STORE_OK && !strcmp(out->company_id, tenant->company_id) && out->status == 1)
        return true;
    reply_named_error(rq, rp, "tp.agent_inactive");
    reply_diag(rp,
               r == STORE_NOT_FOUND ? "no agent with email '%.128s'"
               : out->status != 1   ? "agent '%.128s' is disabled"
                                    : "agent '%.128s' belongs to another tenant",
               email ? email : "");
    return false;
}

static void update_service(struct request *rq, struct reply *rp)
{
    static const char *const required[] = {"customerCode", "serviceNick",  "serviceName",
                                           "phoneNo",      "maxAcceptNum", "email"};
    struct store_tenant tenant;
    struct store_agent a;
    long max_accept;
    if (!tenantpro_require(rq, rp, required, N(required)) ||
        !tenantpro_check_lengths(rq, rp, agent_limits, N(agent_limits)) ||
        !tenantpro_int_param(rq, rp, "maxAcceptNum", 0, 10000, 0, &max_accept) ||
        !find_tenant(rq, rp, &tenant) || !find_agent(rq, rp, &tenant, &a))
        return;
    copy(a.nick, sizeof a.nick, request_param(rq, "serviceNick"));
    copy(a.name, sizeof a.name, request_param(rq, "serviceName"));
    copy(a.phone, sizeof a.phone, request_param(rq, "phoneNo"));
    a.max_accept = (int)max_accept;
    if (store_agent_update(&a) != STORE_OK) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed updating the agent");
        return;
    }
    reply_tenantpro(rp, "200000", reply_message("200000", rq->lang), NULL);
}

static void delete_service(struct request *rq, struct reply *rp)
{
    static const char *const required[] = {"customerCode", "email"};
    struct store_tenant tenant;
    struct store_agent a;
    if (!tenantpro_require(rq, rp, required, N(required)) || !find_tenant(rq, rp, &tenant) ||
        !find_agent(rq, rp, &tenant, &a))
        return;
    enum store_result r = store_agent_delete(a.email);
    if (r == STORE_NOT_FOUND) {
        /* Deleted meanwhile by a concurrent call: the same answer as unknown. */
        reply_named_error(rq, rp, "tp.agent_inactive");
        reply_diag(rp, "agent '%.128s' was deleted meanwhile", a.email);
        return;
    }
    if (r != STORE_OK) {
        reply_vendor_error(rq, rp, "999999", NULL);
        reply_diag(rp, "the store failed deleting the agent");
        return;
    }
    reply_tenantpro(rp, "200000", reply_message("200000", rq->lang), NULL);
}

static const struct route rows[] = {
    {"tenantpro_get_tenant_list", "POST", "/tenantpro/open/getTenantList", &tenantpro_auth_email,
     get_tenant_list, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!token,!email,startDate,endDate,inputStatus:n,inputValue,!openStatus:n,"
     "pageNo:n,pageSize:n",
     false},
    {"tenantpro_add_tenant", "POST", "/tenantpro/open/addTenant.json", &tenantpro_auth_email,
     add_tenant, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!companyName,!email,!maxCount:n,!password,contactName,contactTel,!token,"
     "!customerCode,icon",
     false},
    {"tenantpro_update_tenant", "POST", "/tenantpro/open/updateTenant.json", &tenantpro_auth_email,
     update_tenant, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!companyName,!maxCount:n,contactName,contactTel,!token,!customerCode,"
     "!email",
     false},
    {"tenantpro_add_service", "POST", "/tenantpro/open/addServiceInfoConfim.json",
     &tenantpro_auth_email, add_service, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!token,!customerCode,!nick,!name,!email,!roleId,password,!phoneNo:n,"
     "!maxAcceptNum:n",
     false},
    {"tenantpro_update_service", "POST", "/tenantpro/open/updateServiceInfoConfim.json",
     &tenantpro_auth_email, update_service, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!token,!customerCode,!serviceNick,!serviceName,!phoneNo:n,"
     "!maxAcceptNum:n,!email",
     false},
    {"tenantpro_delete_service", "POST", "/tenantpro/open/deleteServiceInfoConfim",
     &tenantpro_auth_email, delete_service, ENVELOPE_TENANTPRO,
     "!unionCode,!ts:ms,!token,!customerCode,!email", false},
};

const struct route_slice tenantpro_route_slice = ROUTE_SLICE(rows);
