/*
 * reply.c - envelopes and the vendor's message texts.
 *
 * The message table is the one place a vendor text lives. Chinese is the
 * vendor's default; `language: en` selects English. v5 success keeps the
 * documented "Success" in both languages: that is what the token page shows
 * and what clients compare against.
 */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

struct message {
    const char *code;
    const char *zh;
    const char *en;
};

static const struct message messages[] = {
    {"000000", "操作成功", "Success"},
    {"900001", "token为空", "token is empty"},
    {"900002", "token已失效，请重新获取", "token is invalid, please get a new one"},
    {"900003", "signature错误", "signature error"},
    {"900004", "没有找到公司的api配置信息!", "no API configuration found for the company!"},
    {"999999", "系统未知异常", "unknown system error"},
    /* SSO login_url: undocumented by the vendor; the mock's choice (see
     * docs/sso-and-https.md). 920005 is followed by ": <field>". */
    {"920001", "agent_email不能为空", "agent_email is required"},
    {"920002", "坐席不存在", "agent does not exist"},
    {"920003", "坐席已停用", "agent is disabled"},
    {"920004", "坐席不属于当前公司", "agent does not belong to this company"},
    {"920005", "参数取值不合法", "invalid parameter value"},
    {"200000", "成功", "success"},
    {"200007", "在线客服数量不足", "not enough online agent seats"},
    {"999998", "请求失败!登录已失效,请重新登录!",
     "request failed! login expired, please log in again!"},
    /* chatIndexPage's own status codes; the payload carries only the number. */
    {"0", "未知异常", "unknown error"},
    {"2", "传参异常", "bad parameters"},
    {"3", "unionCode 异常", "unionCode error"},
    {"4", "接口调用频率超过限制", "call rate limit exceeded"},
    {"5", "token 校验异常", "token check failed"},
};

/* Texts that are not their code's default, found by a key; the code travels
 * with them. */
struct named_message {
    const char *key;
    const char *code;
    const char *zh;
    const char *en;
};

static const struct named_message named_messages[] = {
    {"tp.created", "200000", "成功!", "success!"},
    {"tp.report_ok", "000000", "成功", "success"},
    {"tp.customer_code_taken", "999999", "customerCode 已存在!", "customerCode already exists!"},
    {"tp.email_taken", "999999", "email 已存在!", "email already exists!"},
    {"tp.tenant_missing", "999999", "商户不存在!", "tenant does not exist!"},
    {"tp.agent_inactive", "999999", "客户邮箱未激活,请激活后再次尝试修改客户信息!",
     "the agent's email is not activated; activate it before changing the agent!"},
    {"tp.bad_param", "999999", "参数错误!", "invalid parameter!"},
};

static const struct named_message *named(const char *key)
{
    for (size_t i = 0; i < sizeof named_messages / sizeof named_messages[0]; i++)
        if (!strcmp(named_messages[i].key, key))
            return &named_messages[i];
    return NULL;
}

const char *reply_named_message(const char *key, enum lang lang)
{
    const struct named_message *m = named(key);
    return !m ? NULL : lang == LANG_EN ? m->en : m->zh;
}

const char *reply_message(const char *code, enum lang lang)
{
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
        if (!strcmp(messages[i].code, code))
            return lang == LANG_EN ? messages[i].en : messages[i].zh;
    return NULL;
}

void reply_init(struct reply *rp)
{
    memset(rp, 0, sizeof *rp);
    rp->status = 200;
    rp->content_type = "application/json;charset=UTF-8";
}

void reply_free(struct reply *rp)
{
    free(rp->body);
    rp->body = NULL;
    for (size_t i = 0; i < rp->header_count; i++) {
        free(rp->headers[i].name);
        free(rp->headers[i].value);
    }
    rp->header_count = 0;
    if (rp->wait.release && rp->wait.state)
        rp->wait.release(rp->wait.state);
    rp->wait.state = NULL;
}

void reply_text(struct reply *rp, int status, const char *content_type, const char *body,
                size_t len)
{
    free(rp->body);
    rp->body = malloc(len + 1);
    if (rp->body) {
        memcpy(rp->body, body, len);
        rp->body[len] = '\0';
    }
    rp->body_len = rp->body ? len : 0;
    rp->status = status;
    rp->content_type = content_type;
}

/* Prints root into one exact-size block. Most replies fit a per-thread
 * buffer, which costs one malloc; cJSON_PrintUnformatted would grow its
 * buffer by reallocs from 256 bytes. Larger replies take that way. */
static char *print_json(const cJSON *root)
{
    /* cJSON asks for 5 bytes of slack past the text in a preallocated buffer. */
    static _Thread_local char buf[16384];
    if (!cJSON_PrintPreallocated((cJSON *)root, buf, (int)sizeof buf - 5, false))
        return cJSON_PrintUnformatted(root);
    size_t len = strlen(buf);
    char *printed = malloc(len + 1);
    if (printed)
        memcpy(printed, buf, len + 1);
    return printed;
}

void reply_json(struct reply *rp, int status, cJSON *root)
{
    char *printed = root ? print_json(root) : NULL;
    cJSON_Delete(root);
    free(rp->body);
    rp->status = status;
    rp->content_type = "application/json;charset=UTF-8";
    if (!printed) {
        /* Out of memory while printing: still answer in the vendor's shape. */
        static const char fallback[] = "{\"ret_code\":\"999999\",\"ret_msg\":\"系统未知异常\"}";
        rp->body = strdup(fallback);
        rp->body_len = rp->body ? strlen(fallback) : 0;
        return;
    }
    rp->body = printed;
    rp->body_len = strlen(printed);
}

void reply_add_header(struct reply *rp, const char *name, const char *value)
{
    if (rp->header_count >= REPLY_MAX_HEADERS)
        return;
    rp->headers[rp->header_count].name = strdup(name);
    rp->headers[rp->header_count].value = strdup(value);
    rp->header_count++;
}

void reply_diag(struct reply *rp, const char *fmt, ...)
{
    size_t used = strlen(rp->diagnostic);
    if (used && used + 3 < sizeof rp->diagnostic) {
        memcpy(rp->diagnostic + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rp->diagnostic + used, sizeof rp->diagnostic - used, fmt, ap);
    va_end(ap);
}

static void set_code(struct reply *rp, const char *code)
{
    snprintf(rp->vendor_code, sizeof rp->vendor_code, "%s", code);
}

void reply_v5_ok(struct reply *rp, cJSON *item)
{
    cJSON *root = cJSON_CreateObject();
    if (item)
        cJSON_AddItemToObject(root, "item", item);
    cJSON_AddStringToObject(root, "ret_code", "000000");
    cJSON_AddStringToObject(root, "ret_msg", "Success");
    set_code(rp, "000000");
    reply_json(rp, 200, root);
}

void reply_tenantpro(struct reply *rp, const char *code, const char *message, cJSON *msg_obj)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "retCode", code);
    cJSON_AddStringToObject(root, "retMsg", message);
    cJSON_AddItemToObject(root, "msg", msg_obj ? msg_obj : cJSON_CreateNull());
    set_code(rp, code);
    reply_json(rp, 200, root);
}

static void html_error(struct reply *rp, const char *code, const char *message)
{
    char page[1024];
    int n = snprintf(page, sizeof page,
                     "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                     "</head><body><h1>%s</h1><p>%s</p></body></html>",
                     code, code, message);
    reply_text(rp, 400, "text/html;charset=UTF-8", page, (size_t)n);
}

void reply_vendor_error(const struct request *rq, struct reply *rp, const char *code,
                        const char *message)
{
    enum envelope env = rq->route ? rq->route->envelope : ENVELOPE_V5;
    if (!message)
        message = reply_message(code, rq->lang);
    if (!message)
        message = reply_message("999999", rq->lang);
    set_code(rp, code);
    cJSON *root = cJSON_CreateObject();
    switch (env) {
    case ENVELOPE_TENANTPRO:
        cJSON_Delete(root);
        reply_tenantpro(rp, code, message, NULL);
        return;
    case ENVELOPE_CHAT:
        /* chatIndexPage knows statuses 0-5 only; any other code (a store
         * failure's 999999) is its "0: unknown exception". */
        cJSON_AddItemToObject(root, "items", cJSON_CreateArray());
        cJSON_AddNumberToObject(root, "status", code[0] && !code[1] ? atoi(code) : 0);
        break;
    case ENVELOPE_ADMIN:
        cJSON_AddStringToObject(root, "error", message);
        cJSON_AddStringToObject(root, "code", code);
        break;
    case ENVELOPE_HTML:
        cJSON_Delete(root);
        html_error(rp, code, message);
        return;
    case ENVELOPE_V5:
    case ENVELOPE_TP_V5:
        cJSON_AddStringToObject(root, "ret_code", code);
        cJSON_AddStringToObject(root, "ret_msg", message);
        break;
    }
    reply_json(rp, 200, root);
}

void reply_bad_params(const struct request *rq, struct reply *rp)
{
    bool chat = rq->route && rq->route->envelope == ENVELOPE_CHAT;
    reply_vendor_error(rq, rp, chat ? "2" : "999999", NULL);
}

void reply_admin(struct reply *rp, int status, cJSON *root)
{
    reply_json(rp, status, root);
}

void reply_admin_error(struct reply *rp, int status, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "error", text);
    reply_diag(rp, "%s", text);
    reply_json(rp, status, root);
}

void reply_named_error(const struct request *rq, struct reply *rp, const char *key)
{
    const struct named_message *m = named(key);
    if (!m) {
        reply_vendor_error(rq, rp, "999999", NULL);
        return;
    }
    reply_vendor_error(rq, rp, m->code, rq->lang == LANG_EN ? m->en : m->zh);
}

void reply_too_long(const struct request *rq, struct reply *rp, const char *field, int limit)
{
    /* The vendor's error table: "[x] 的长度超过最大限制，最多允许 x 个字符". */
    char text[256];
    if (rq->lang == LANG_EN)
        snprintf(text, sizeof text,
                 "[%s] exceeds the maximum length, at most %d characters allowed", field, limit);
    else
        snprintf(text, sizeof text, "[%s] 的长度超过最大限制，最多允许 %d 个字符", field, limit);
    reply_vendor_error(rq, rp, "220001", text);
}

static const char *success_text(const struct request *rq)
{
    return reply_message("200000", rq->lang);
}

void reply_tenantpro_page(const struct request *rq, struct reply *rp, int page_no, int page_count,
                          int total, int page_size, cJSON *items)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "pageNo", page_no);
    cJSON_AddNumberToObject(root, "pageCount", page_count);
    cJSON_AddNumberToObject(root, "totalCount", total);
    if (page_size < 0)
        cJSON_AddNullToObject(root, "pageSize");
    else
        cJSON_AddNumberToObject(root, "pageSize", page_size);
    cJSON_AddItemToObject(root, "items", items);
    cJSON_AddNullToObject(root, "item");
    cJSON_AddStringToObject(root, "retCode", "200000");
    cJSON_AddStringToObject(root, "retMsg", success_text(rq));
    set_code(rp, "200000");
    reply_json(rp, 200, root);
}

void reply_tenantpro_items(const struct request *rq, struct reply *rp, const char *code,
                           cJSON *items)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "items", items);
    cJSON_AddStringToObject(root, "retCode", code);
    cJSON_AddStringToObject(root, "retMsg",
                            strcmp(code, "000000") ? success_text(rq)
                                                   : reply_named_message("tp.report_ok", rq->lang));
    set_code(rp, code);
    reply_json(rp, 200, root);
}

void reply_tenantpro_created(const struct request *rq, struct reply *rp, cJSON *msg)
{
    reply_tenantpro(rp, "200000", reply_named_message("tp.created", rq->lang), msg);
}

void reply_tenantpro_report(const struct request *rq, struct reply *rp, cJSON *item)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "item", item);
    cJSON_AddStringToObject(root, "ret_code", "000000");
    cJSON_AddStringToObject(root, "ret_msg", reply_named_message("tp.report_ok", rq->lang));
    set_code(rp, "000000");
    reply_json(rp, 200, root);
}

void reply_tenantpro_batch(const struct request *rq, struct reply *rp, const char *union_code,
                           cJSON *data, const char *time)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *platform = cJSON_AddObjectToObject(root, union_code);
    cJSON_AddItemToObject(platform, "data", data);
    cJSON_AddStringToObject(platform, "time", time);
    cJSON_AddStringToObject(root, "retCode", "000000");
    cJSON_AddStringToObject(root, "retMsg", reply_message("000000", rq->lang));
    set_code(rp, "000000");
    reply_json(rp, 200, root);
}

void reply_chat(struct reply *rp, cJSON *items)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "items", items);
    cJSON_AddNumberToObject(root, "status", 1);
    set_code(rp, "1");
    reply_json(rp, 200, root);
}

void reply_download(struct reply *rp, const char *content_type, const char *filename,
                    const char *body, size_t len)
{
    char disposition[256];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
    reply_text(rp, 200, content_type, body, len);
    reply_add_header(rp, "Content-Disposition", disposition);
}
