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
    {"200000", "成功", "success"},
    {"200007", "在线客服数量不足", "not enough online agent seats"},
    {"999998", "请求失败!登录已失效,请重新登录!",
     "request failed! login expired, please log in again!"},
};

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

void reply_json(struct reply *rp, int status, cJSON *root)
{
    char *printed = root ? cJSON_PrintUnformatted(root) : NULL;
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
        cJSON_AddItemToObject(root, "items", cJSON_CreateArray());
        cJSON_AddNumberToObject(root, "status", atoi(code));
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
