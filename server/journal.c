/*
 * journal.c - the bounded request ring.
 *
 * How it stays off the hot path: a writer takes its id from one atomic
 * counter, formats its entry (masking, truncation) with no lock held, then
 * locks only the one slot id % capacity to swap the entry in. Readers walk
 * the ids still in the ring, locking one slot at a time and skipping a slot
 * whose id moved on (overwritten while they read). The alternatives lost:
 * one global lock serialises every worker; per-worker rings need a merge on
 * every read and make "newest last" across workers costly.
 *
 * Memory is flat: each slot owns at most one heap block, sized to what its
 * entry holds (path, query, headers, body up to the body limit, fault and
 * diagnostic, each capped) and reused by the next entry written there; it is
 * reallocated only when an entry does not fit or would leave most of it
 * idle, so a steady load writes the journal without touching malloc, and a
 * slot never keeps more than about twice its entry. Headers are kept as
 * name/value text and become JSON only when /__admin/requests reads them: a
 * cJSON tree per request cost more than the rest of the entry. Clearing
 * raises a floor id instead of touching the slots.
 *
 * This module must never keep a pointer into a request (they die with it)
 * nor block a writer on a reader for longer than one slot's copy. The copy
 * into a slot happens under that slot's lock: it is a few hundred bytes for
 * a typical request, and no other writer wants the same slot until the ring
 * has wrapped.
 */
#include "journal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "sign.h"
#include "routes.h"

#define HEADERS_MAX 4096 /* bytes of header text kept; later headers are dropped whole */
#define QUERY_MAX 2048
#define PATH_MAX_KEPT 512
#define MASKED_MAX 16 /* a secret header value: its first 6 bytes and "..." */

struct entry {
    uint64_t id; /* 0 = empty */
    int64_t mock_ms, real_ms;
    int64_t latency_us;
    int status;
    bool matched;
    bool body_truncated;
    size_t body_size; /* as received */
    char method[8];
    char route[64];
    char code[16];
    char appid[64];
    char union_code[64];
    size_t header_count; /* name/value pairs in the blob */
    char *blob;          /* path, query, header names and values, body, fault, diagnostic, each
                            NUL-terminated, in that order */
    size_t blob_cap;
};

struct slot {
    pthread_mutex_t lock;
    struct entry e;
};

static struct slot *ring;
static size_t capacity;
static size_t body_limit;
static atomic_uint_fast64_t last_id;
static atomic_uint_fast64_t floor_id;

bool journal_init(int cap, int limit)
{
    journal_free();
    capacity = cap > 0 ? (size_t)cap : 1;
    body_limit = limit > 0 ? (size_t)limit : 0;
    ring = calloc(capacity, sizeof *ring);
    if (!ring)
        return false;
    for (size_t i = 0; i < capacity; i++)
        pthread_mutex_init(&ring[i].lock, NULL);
    atomic_store(&last_id, 0);
    atomic_store(&floor_id, 0);
    return true;
}

void journal_free(void)
{
    for (size_t i = 0; ring && i < capacity; i++) {
        free(ring[i].e.blob);
        pthread_mutex_destroy(&ring[i].lock);
    }
    free(ring);
    ring = NULL;
}

/* ---- writing ---- */

/* Copies at most max bytes of text, replacing bytes that are not valid UTF-8
 * with '?', so the journal always prints as valid JSON. Returns bytes used. */
static size_t copy_utf8(char *out, const char *in, size_t len, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        unsigned char c = (unsigned char)in[i];
        size_t want = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
        bool ok = want && i + want <= len && n + want <= max;
        for (size_t k = 1; ok && k < want; k++)
            ok = ((unsigned char)in[i + k] >> 6) == 2;
        if (!ok) {
            out[n++] = c == 0 ? ' ' : (c < 0x80 ? (char)c : '?');
            i++;
            continue;
        }
        memcpy(out + n, in + i, want);
        n += want;
        i += want;
    }
    out[n] = '\0';
    return n;
}

/* Header names whose values are secrets. */
static bool secret_header(const char *name)
{
    return strcasestr(name, "token") || strcasestr(name, "key") || strcasestr(name, "secret") ||
           !strcasecmp(name, "Authorization") || !strcasecmp(name, "Cookie");
}

/* Copies at most size-1 bytes of a NUL-terminated string, always terminating. */
static void copy_text(char *out, size_t size, const char *text)
{
    size_t len = text ? strnlen(text, size - 1) : 0;
    memcpy(out, text ? text : "", len);
    out[len] = '\0';
}

/* Which headers are kept: whole ones, in order, while their text fits
 * HEADERS_MAX. Returns the count and adds their worst-case size to *bytes. */
static size_t headers_kept(const struct request *rq, size_t *bytes)
{
    size_t used = 0, n = 0;
    for (; n < rq->header_count; n++) {
        const struct request_header *h = &rq->headers[n];
        size_t value_len = secret_header(h->name) ? MASKED_MAX : strlen(h->value);
        size_t need = strlen(h->name) + value_len + 2;
        if (used + need > HEADERS_MAX)
            break;
        used += need;
    }
    *bytes += used;
    return n;
}

/* Appends one NUL-terminated field to the blob being built. */
static void put(char *blob, size_t *used, const char *text, size_t len, size_t max)
{
    *used += copy_utf8(blob + *used, text ? text : "", text ? len : 0, max) + 1;
}

static size_t capped(size_t len, size_t max)
{
    return (len < max ? len : max) + 1;
}

/* The blob's size, at most: copy_utf8 never writes more bytes than it reads. */
static size_t blob_size(const struct request *rq, const struct reply *rp, size_t body_len,
                        size_t *header_count)
{
    size_t size = capped(strlen(rq->path), PATH_MAX_KEPT - 1) +
                  capped(strlen(rq->query), QUERY_MAX - 1) + body_len + 1 +
                  capped(strlen(rp->fault), sizeof rp->fault - 1) +
                  capped(strlen(rp->diagnostic), sizeof rp->diagnostic - 1);
    *header_count = headers_kept(rq, &size);
    return size;
}

static void fill_blob(char *blob, const struct request *rq, const struct reply *rp, size_t body_len,
                      size_t header_count)
{
    size_t used = 0;
    put(blob, &used, rq->path, strlen(rq->path), PATH_MAX_KEPT - 1);
    put(blob, &used, rq->query, strlen(rq->query), QUERY_MAX - 1);
    for (size_t i = 0; i < header_count; i++) {
        const char *name = rq->headers[i].name, *value = rq->headers[i].value;
        char masked[MASKED_MAX];
        if (secret_header(name)) {
            sign_mask_prefix(value, masked, sizeof masked);
            value = masked;
        }
        put(blob, &used, name, strlen(name), HEADERS_MAX);
        put(blob, &used, value, strlen(value), HEADERS_MAX);
    }
    put(blob, &used, rq->body, body_len, body_len);
    put(blob, &used, rp->fault, strlen(rp->fault), sizeof rp->fault - 1);
    put(blob, &used, rp->diagnostic, strlen(rp->diagnostic), sizeof rp->diagnostic - 1);
}

/* Makes the slot's block fit `size` bytes; false when memory ran out. */
static bool fit_blob(struct entry *e, size_t size)
{
    if (e->blob && size <= e->blob_cap && e->blob_cap <= 2 * size + 256)
        return true;
    size_t cap = (size + 63) & ~(size_t)63;
    char *grown = realloc(e->blob, cap);
    if (!grown)
        return false;
    e->blob = grown;
    e->blob_cap = cap;
    return true;
}

static void fill_fixed(struct entry *e, const struct request *rq, const struct reply *rp)
{
    const char *appid = rq->caller.appid[0] ? rq->caller.appid : request_param(rq, "appid");
    const char *uc =
        rq->caller.union_code[0] ? rq->caller.union_code : request_param(rq, "unionCode");
    e->mock_ms = clock_now_ms();
    e->real_ms = clock_real_ms();
    e->latency_us = (int64_t)((clock_mono_ns() - rq->started_ns) / 1000);
    e->status = rp->status;
    e->matched = rq->route != NULL;
    e->body_size = rq->body_len;
    copy_text(e->method, sizeof e->method, rq->method);
    copy_text(e->route, sizeof e->route, rq->route ? rq->route->name : "");
    copy_text(e->code, sizeof e->code, rp->vendor_code);
    copy_utf8(e->appid, appid ? appid : "", appid ? strlen(appid) : 0, sizeof e->appid - 1);
    copy_utf8(e->union_code, uc ? uc : "", uc ? strlen(uc) : 0, sizeof e->union_code - 1);
}

void journal_record(const struct request *rq, const struct reply *rp)
{
    if (!ring)
        return;
    size_t body_len = rq->body_len < body_limit ? rq->body_len : body_limit;
    size_t header_count;
    size_t size = blob_size(rq, rp, body_len, &header_count);
    uint64_t id = atomic_fetch_add(&last_id, 1) + 1;
    struct slot *s = &ring[id % capacity];
    pthread_mutex_lock(&s->lock);
    /* A writer that took a later id for this slot already came by. */
    if (s->e.id < id && fit_blob(&s->e, size)) {
        struct entry *e = &s->e;
        e->id = id;
        fill_fixed(e, rq, rp);
        e->body_truncated = body_len < rq->body_len;
        e->header_count = header_count;
        fill_blob(e->blob, rq, rp, body_len, header_count);
    }
    pthread_mutex_unlock(&s->lock);
}

void journal_clear(void)
{
    atomic_store(&floor_id, atomic_load(&last_id));
}

/* ---- reading ---- */

/* The blob's fields in order; F_HEADERS is the first header's name. */
enum field { F_PATH, F_QUERY, F_HEADERS, F_BODY, F_FAULT, F_DIAG, F_COUNT };

static const char *skip_field(const char *text)
{
    return text + strlen(text) + 1;
}

static void split_blob(const struct entry *e, const char *fields[F_COUNT])
{
    const char *blob = e->blob;
    for (int i = 0; i < F_COUNT; i++) {
        fields[i] = blob ? blob : "";
        if (!blob)
            continue;
        if (i == F_HEADERS)
            for (size_t h = 0; h < 2 * e->header_count; h++)
                blob = skip_field(blob);
        else
            blob = skip_field(blob);
    }
}

/* Header names and values in the order received; a repeated name appears
 * as often as it was sent, as it did when the journal printed cJSON. */
static cJSON *headers_json(const struct entry *e, const char *text)
{
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; obj && i < e->header_count; i++) {
        const char *value = skip_field(text);
        cJSON_AddStringToObject(obj, text, value);
        text = skip_field(value);
    }
    return obj;
}

static bool path_matches(const char *pattern, const char *path)
{
    size_t len = strlen(pattern);
    if (len && pattern[len - 1] == '*')
        return !strncmp(pattern, path, len - 1);
    return !strcmp(pattern, path);
}

static bool keeps(const struct journal_filter *f, const struct entry *e)
{
    const char *fields[F_COUNT];
    split_blob(e, fields);
    return (!f->route[0] || !strcmp(f->route, e->route)) &&
           (!f->path[0] || path_matches(f->path, fields[F_PATH])) &&
           (!f->method[0] || !strcasecmp(f->method, e->method)) &&
           (!f->appid[0] || !strcmp(f->appid, e->appid)) &&
           (!f->code[0] || !strcmp(f->code, e->code)) && (!f->status || f->status == e->status) &&
           e->id > f->since_id && e->mock_ms >= f->since_ms && (!f->unmatched || !e->matched);
}

static cJSON *entry_json(const struct entry *e)
{
    const char *fields[F_COUNT];
    split_blob(e, fields);
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "id", (double)e->id);
    cJSON_AddNumberToObject(obj, "time_ms", (double)e->mock_ms);
    cJSON_AddNumberToObject(obj, "real_time_ms", (double)e->real_ms);
    cJSON_AddStringToObject(obj, "method", e->method);
    cJSON_AddStringToObject(obj, "path", fields[F_PATH]);
    cJSON_AddStringToObject(obj, "query", fields[F_QUERY]);
    cJSON *headers = headers_json(e, fields[F_HEADERS]);
    cJSON_AddItemToObject(obj, "headers", headers ? headers : cJSON_CreateObject());
    cJSON_AddStringToObject(obj, "body", fields[F_BODY]);
    cJSON_AddNumberToObject(obj, "body_size", (double)e->body_size);
    cJSON_AddBoolToObject(obj, "body_truncated", e->body_truncated);
    cJSON_AddBoolToObject(obj, "matched", e->matched);
    cJSON_AddStringToObject(obj, "route", e->route);
    cJSON_AddStringToObject(obj, "appid", e->appid);
    cJSON_AddStringToObject(obj, "unionCode", e->union_code);
    cJSON_AddNumberToObject(obj, "status", e->status);
    cJSON_AddStringToObject(obj, "code", e->code);
    cJSON_AddNumberToObject(obj, "latency_ms", (double)e->latency_us / 1000.0);
    cJSON_AddStringToObject(obj, "fault", fields[F_FAULT]);
    cJSON_AddStringToObject(obj, "diagnostic", fields[F_DIAG]);
    return obj;
}

/* The oldest id still in the ring and not cleared, and the newest. */
static void id_window(uint64_t *first, uint64_t *last)
{
    *last = atomic_load(&last_id);
    uint64_t cleared = atomic_load(&floor_id);
    *first = *last >= capacity ? *last - capacity + 1 : 1;
    if (*first <= cleared)
        *first = cleared + 1;
}

/* Walks the window newest first; fn returns false to stop. */
static void walk(const struct journal_filter *f, bool (*fn)(const struct entry *, void *),
                 void *arg)
{
    uint64_t first, last;
    if (!ring)
        return;
    id_window(&first, &last);
    for (uint64_t id = last; id >= first && id > 0; id--) {
        struct slot *s = &ring[id % capacity];
        pthread_mutex_lock(&s->lock);
        bool more = true;
        if (s->e.id == id && keeps(f, &s->e))
            more = fn(&s->e, arg);
        pthread_mutex_unlock(&s->lock);
        if (!more)
            break;
    }
}

struct gather {
    cJSON *list;
    int left; /* <0: no limit */
};

static bool gather_one(const struct entry *e, void *arg)
{
    struct gather *g = arg;
    cJSON_InsertItemInArray(g->list, 0, entry_json(e)); /* walking newest first */
    return g->left < 0 || --g->left > 0;
}

cJSON *journal_query(const struct journal_filter *f)
{
    cJSON *root = cJSON_CreateObject();
    struct gather g = {cJSON_AddArrayToObject(root, "requests"), f->limit > 0 ? f->limit : -1};
    walk(f, gather_one, &g);
    return root;
}

static bool count_one(const struct entry *e, void *arg)
{
    (void)e;
    (*(size_t *)arg)++;
    return true;
}

size_t journal_count(const struct journal_filter *f)
{
    size_t n = 0;
    walk(f, count_one, &n);
    return n;
}

size_t journal_size(void)
{
    uint64_t first, last;
    id_window(&first, &last);
    return last >= first ? (size_t)(last - first + 1) : 0;
}

uint64_t journal_total(void)
{
    return atomic_load(&last_id);
}
