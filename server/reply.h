/*
 * reply.h - what a handler answers, and the vendor envelopes that shape it.
 *
 * A handler never prints an envelope by hand: it calls reply_v5_ok,
 * reply_vendor_error and friends, which know each product area's field names
 * (ret_code/ret_msg, retCode/retMsg, chat "status") and the message texts in
 * both languages. Diagnostics travel in X-Sobot-Mock-Diagnostic, never inside
 * the vendor payload.
 */
#ifndef SOBOT_REPLY_H
#define SOBOT_REPLY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "request.h"

#define REPLY_MAX_HEADERS 8
#define REPLY_DIAG_MAX 1024

/* How the bytes reach the client; the fault engine picks anything but NORMAL. */
enum transport_kind {
    TRANSPORT_NORMAL,
    TRANSPORT_RESET,   /* close with RST, no answer */
    TRANSPORT_EMPTY,   /* close without answering */
    TRANSPORT_DRIBBLE, /* the reply in `chunks` pieces spread over `total_ms` */
};

struct transport {
    enum transport_kind kind;
    int delay_ms; /* wait before answering (any kind) */
    int chunks;
    int total_ms;
};

struct reply;

/* A reply that waits for a condition without blocking its worker (the
 * journal's verification call): httpd calls poll every interval_ms until it
 * returns true or timeout_ms has passed (then with last = true, and poll
 * must fill rp). reply_free calls release(state). */
struct reply_wait {
    bool (*poll)(void *state, bool last, struct reply *rp);
    void (*release)(void *state);
    void *state;
    int interval_ms;
    int timeout_ms;
};

/* Envelope families, one per vendor product area. */
enum envelope {
    ENVELOPE_V5,        /* {"item":…, "ret_code":"000000", "ret_msg":"…"} */
    ENVELOPE_TENANTPRO, /* {"retCode":"200000","retMsg":"…","msg":…} */
    ENVELOPE_TP_V5,     /* tenantpro report: ret_code/ret_msg */
    ENVELOPE_CHAT,      /* {"items":[…],"status":1} */
    ENVELOPE_ADMIN,     /* the control plane's own JSON */
    ENVELOPE_HTML,      /* pages for browsers */
};

struct reply_header {
    char *name;
    char *value;
};

struct reply {
    int status; /* HTTP status, 200 unless set */
    const char *content_type;
    char *body; /* malloc'd, owned */
    size_t body_len;
    struct reply_header headers[REPLY_MAX_HEADERS];
    size_t header_count;
    char vendor_code[16]; /* the code the payload carries, for journal/metrics */
    char diagnostic[REPLY_DIAG_MAX];
    struct transport transport;
    struct reply_wait wait; /* poll unset: answer at once */
    char fault[128];        /* description of a fault applied, "" when none */
};

void reply_init(struct reply *rp);
void reply_free(struct reply *rp);

/* Raw bodies. reply_json takes ownership of root. */
void reply_json(struct reply *rp, int status, cJSON *root);
void reply_text(struct reply *rp, int status, const char *content_type, const char *body,
                size_t len);
void reply_add_header(struct reply *rp, const char *name, const char *value);

/* Sets the diagnostic (printf-style); appends when one is already there. */
void reply_diag(struct reply *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The vendor message for a code in the request's language; NULL if unknown. */
const char *reply_message(const char *code, enum lang lang);

/* v5 success: {"item":item,"ret_code":"000000","ret_msg":"Success"}; takes
 * ownership of item (NULL: no item field). */
void reply_v5_ok(struct reply *rp, cJSON *item);

/* An error in the route's own envelope with the vendor's message for `code`
 * (or `message` when given). HTTP 200, as the vendor does. */
void reply_vendor_error(const struct request *rq, struct reply *rp, const char *code,
                        const char *message);

/* Parameters the route cannot use (an unreadable body, a contract broken
 * under --strict): chatIndexPage's status 2, elsewhere the vendor's 999999,
 * which is all v5 and tenantpro have for it. */
void reply_bad_params(const struct request *rq, struct reply *rp);

/* tenantpro success/failure envelopes: {"retCode":code,"retMsg":msg,"msg":msg_obj}.
 * Takes ownership of msg_obj (NULL → "msg":null). */
void reply_tenantpro(struct reply *rp, const char *code, const char *message, cJSON *msg_obj);

/* ---- tenantpro shapes (each exactly as its section of the vendor page) ---- */

/* A named vendor text that is not the default of its code ("tp.tenant_missing":
 * 999999 "商户不存在!"), answered in the route's envelope. */
void reply_named_error(const struct request *rq, struct reply *rp, const char *key);
/* The text of a named message in the request's language; NULL if unknown. */
const char *reply_named_message(const char *key, enum lang lang);
/* 220001 "[field] 的长度超过最大限制，最多允许 N 个字符". */
void reply_too_long(const struct request *rq, struct reply *rp, const char *field, int limit);

/* getTenantList: {"pageNo","pageCount","totalCount","pageSize","items","item":null,
 * "retCode":"200000","retMsg":"成功"}; page_size < 0 prints null. Takes items. */
void reply_tenantpro_page(const struct request *rq, struct reply *rp, int page_no, int page_count,
                          int total, int page_size, cJSON *items);
/* {"items":[…],"retCode":code,"retMsg":…} (getStaffLogInfos 200000,
 * tenantStaffJobList 000000 "成功"). Takes items. */
void reply_tenantpro_items(const struct request *rq, struct reply *rp, const char *code,
                           cJSON *items);
/* addTenant's success: "retMsg":"成功!" with the msg object. Takes msg. */
void reply_tenantpro_created(const struct request *rq, struct reply *rp, cJSON *msg);
/* tenantExportData: {"item":…,"ret_code":"000000","ret_msg":"成功"}. Takes item. */
void reply_tenantpro_report(const struct request *rq, struct reply *rp, cJSON *item);
/* getBatchAppKey: {"<unionCode>":{"data":[…],"time":"…"},"retCode":"000000",
 * "retMsg":"操作成功"}. Takes data. */
void reply_tenantpro_batch(const struct request *rq, struct reply *rp, const char *union_code,
                           cJSON *data, const char *time);
/* chatIndexPage success: {"items":[…],"status":1}. Takes items. Its errors
 * are reply_vendor_error with the status as the code ("2".."5", "0"). */
void reply_chat(struct reply *rp, cJSON *items);

/* A file to download (export CSV): body copied, Content-Disposition set. */
void reply_download(struct reply *rp, const char *content_type, const char *filename,
                    const char *body, size_t len);

/* Admin JSON answers. reply_admin takes ownership of root. */
void reply_admin(struct reply *rp, int status, cJSON *root);
void reply_admin_error(struct reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
