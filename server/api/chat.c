/*
 * api/chat.c - POST /chat-third/tenant/5/user/chatIndexPage, a partner's
 * (customer's) chat list across the platform's tenants.
 *
 * token = MD5(unionCode+partnerId+ts+unionKey), the platform sent as
 * union_code. The reply has its own "status": 1 ok, 2 bad parameters,
 * 3 unionCode error, 4 over the rate limit, 5 token check failed, 0 unknown.
 *
 * Rate limit: --chat-rate-limit calls (default 20, as documented) per
 * platform in any 60 seconds of the mock clock, a sliding window kept in the
 * store so every worker thread sees the same count and reset clears it.
 * Only calls that passed the signature count; a refused call is not recorded.
 *
 * This file must never read the time but through clock.h.
 */
#include <stdio.h>

#include "api/api.h"
#include "api/tenantpro.h"
#include "clock.h"
#include "config.h"

#define CHAT_WINDOW_MS ((int64_t)60 * 1000)

static void add_chat(const struct store_chat *c, void *arg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "unionCode", c->union_code);
    cJSON_AddStringToObject(o, "sysNum", c->company_id);
    cJSON_AddStringToObject(o, "companyName", c->company_name);
    cJSON_AddStringToObject(o, "companyLogo", c->company_logo);
    cJSON_AddStringToObject(o, "visitorId", c->visitor_id);
    cJSON_AddStringToObject(o, "partnerId", c->partner_id);
    cJSON_AddStringToObject(o, "lastCid", c->last_cid);
    cJSON_AddStringToObject(o, "lastMsgContent", c->last_msg_content);
    cJSON_AddNumberToObject(o, "lastMsgTime", (double)c->last_msg_time_ms);
    cJSON_AddNumberToObject(o, "lastMsgType", c->last_msg_type);
    cJSON_AddNumberToObject(o, "unReadNum", c->unread);
    cJSON_AddItemToArray(arg, o);
}

static bool within_rate(struct request *rq, struct reply *rp)
{
    char key[96];
    bool allowed = false;
    snprintf(key, sizeof key, "chatIndexPage:%s", rq->caller.union_code);
    if (store_rate_take(key, clock_now_ms(), CHAT_WINDOW_MS, config.chat_rate_limit, &allowed) !=
        STORE_OK) {
        reply_vendor_error(rq, rp, "0", NULL);
        reply_diag(rp, "the store failed counting calls");
        return false;
    }
    if (allowed)
        return true;
    reply_vendor_error(rq, rp, "4", NULL);
    reply_diag(rp,
               "platform %s made %d calls within the last 60 s of mock time (limit "
               "--chat-rate-limit %d); advance the clock or wait",
               rq->caller.union_code, config.chat_rate_limit, config.chat_rate_limit);
    return false;
}

static void chat_index_page(struct request *rq, struct reply *rp)
{
    if (!within_rate(rq, rp))
        return;
    cJSON *items = cJSON_CreateArray();
    if (store_chats(rq->caller.union_code, request_param(rq, "partnerId"), add_chat, items) !=
        STORE_OK) {
        cJSON_Delete(items);
        reply_vendor_error(rq, rp, "0", NULL);
        reply_diag(rp, "the store failed reading chats");
        return;
    }
    reply_chat(rp, items);
}

static const struct route rows[] = {
    {"chat_index_page", "POST", "/chat-third/tenant/5/user/chatIndexPage", &tenantpro_auth_chat,
     chat_index_page, ENVELOPE_CHAT, "!union_code,!partnerId,!ts:ms,!token", false},
};

const struct route_slice chat_route_slice = ROUTE_SLICE(rows);
