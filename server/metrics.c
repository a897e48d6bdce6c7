/*
 * metrics.c - atomic counters and their Prometheus exposition.
 *
 * Every dimension is bounded so memory is fixed at start: routes come from
 * the route table (plus one row for requests no route took), statuses from a
 * short list with "other", vendor codes from a small table whose slots are
 * claimed once under a lock and counted lock-free after. The latency
 * histogram has fixed buckets in seconds, as Prometheus expects.
 *
 * This module must never take a lock on the request path after a code's
 * first sighting, nor allocate there.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "faults.h"
#include "journal.h"
#include "routes.h"
#include "store/store.h"

#define MAX_ROUTES 512 /* rows of the route table; the last row is "unmatched" */
#define MAX_CODES 64

static const int statuses[] = {200, 201, 204, 302, 400, 401, 403, 404, 405,
                               408, 413, 429, 500, 502, 503, 504, 0};
#define N_STATUSES (sizeof statuses / sizeof statuses[0]) /* last: any other */

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

struct route_counters {
    atomic_uint_fast64_t by_status[N_STATUSES];
    atomic_uint_fast64_t latency[N_BUCKETS + 1]; /* the last: +Inf */
    atomic_uint_fast64_t latency_sum_us;
};

struct code_counter {
    atomic_int claimed;
    char code[16];
    atomic_uint_fast64_t count;
};

static struct route_counters routes[MAX_ROUTES + 1];
static struct code_counter codes[MAX_CODES];
static pthread_mutex_t codes_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t route_index(const struct route *r)
{
    size_t i = routes_index(r);
    return i < MAX_ROUTES ? i : MAX_ROUTES;
}

static size_t status_index(int status)
{
    for (size_t i = 0; i + 1 < N_STATUSES; i++)
        if (statuses[i] == status)
            return i;
    return N_STATUSES - 1;
}

/* A code from a fault rule is user text: keep label values printable and
 * free of quotes. */
static void label_safe(const char *in, char *out, size_t size)
{
    size_t n = 0;
    for (; in[n] && n + 1 < size; n++) {
        char c = in[n];
        bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     c == '-' || c == '_' || c == '.';
        out[n] = plain ? c : '_';
    }
    out[n] = '\0';
}

/* The code's slot, claiming a free one on its first sighting. */
static struct code_counter *code_slot(const char *code)
{
    char safe[16];
    label_safe(code, safe, sizeof safe);
    for (size_t i = 0; i < MAX_CODES; i++) {
        if (!atomic_load_explicit(&codes[i].claimed, memory_order_acquire))
            break;
        if (!strcmp(codes[i].code, safe))
            return &codes[i];
    }
    struct code_counter *found = NULL;
    pthread_mutex_lock(&codes_lock);
    for (size_t i = 0; i < MAX_CODES && !found; i++) {
        if (atomic_load(&codes[i].claimed)) {
            if (!strcmp(codes[i].code, safe))
                found = &codes[i];
            continue;
        }
        memcpy(codes[i].code, safe, sizeof safe);
        atomic_store_explicit(&codes[i].claimed, 1, memory_order_release);
        found = &codes[i];
    }
    pthread_mutex_unlock(&codes_lock);
    return found;
}

void metrics_record(const struct request *rq, const struct reply *rp)
{
    struct route_counters *c = &routes[route_index(rq->route)];
    atomic_fetch_add_explicit(&c->by_status[status_index(rp->status)], 1, memory_order_relaxed);
    uint64_t us = (clock_mono_ns() - rq->started_ns) / 1000;
    size_t b = 0;
    while (b < N_BUCKETS && (double)us / 1e6 > buckets[b])
        b++;
    atomic_fetch_add_explicit(&c->latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->latency_sum_us, us, memory_order_relaxed);
    if (rp->vendor_code[0]) {
        struct code_counter *code = code_slot(rp->vendor_code);
        if (code)
            atomic_fetch_add_explicit(&code->count, 1, memory_order_relaxed);
    }
}

/* ---- rendering ---- */

struct text {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void emit(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct text *t, const char *fmt, ...)
{
    for (int attempt = 0; attempt < 2 && !t->failed; attempt++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n + 1) * 2;
        char *grown = n < 0 ? NULL : realloc(t->buf, cap);
        if (!grown)
            t->failed = true;
        else {
            t->buf = grown;
            t->cap = cap;
        }
    }
}

static const char *route_name(size_t i)
{
    return i < MAX_ROUTES ? routes_at(i)->name : "(unmatched)";
}

static size_t route_rows(void)
{
    size_t n = routes_count();
    return n < MAX_ROUTES ? n : MAX_ROUTES;
}

/* The k-th counter row to print: the table's rows, then the unmatched one. */
static size_t row_slot(size_t k)
{
    return k < route_rows() ? k : MAX_ROUTES;
}

static void render_requests(struct text *t)
{
    emit(t, "# HELP sobot_mock_requests_total Requests served, by route and HTTP status.\n"
            "# TYPE sobot_mock_requests_total counter\n");
    for (size_t k = 0; k <= route_rows(); k++) {
        size_t i = row_slot(k);
        for (size_t s = 0; s < N_STATUSES; s++) {
            uint64_t n = atomic_load_explicit(&routes[i].by_status[s], memory_order_relaxed);
            if (!n)
                continue;
            char status[8];
            snprintf(status, sizeof status, statuses[s] ? "%d" : "other", statuses[s]);
            emit(t, "sobot_mock_requests_total{route=\"%s\",status=\"%s\"} %llu\n", route_name(i),
                 status, (unsigned long long)n);
        }
    }
}

static void render_latency(struct text *t)
{
    emit(t, "# HELP sobot_mock_request_duration_seconds Time from request to reply, by route.\n"
            "# TYPE sobot_mock_request_duration_seconds histogram\n");
    for (size_t k = 0; k <= route_rows(); k++) {
        size_t i = row_slot(k);
        uint64_t cumulative = 0;
        for (size_t b = 0; b <= N_BUCKETS; b++)
            cumulative += atomic_load_explicit(&routes[i].latency[b], memory_order_relaxed);
        if (!cumulative)
            continue;
        uint64_t total = cumulative;
        cumulative = 0;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cumulative += atomic_load_explicit(&routes[i].latency[b], memory_order_relaxed);
            emit(t, "sobot_mock_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                 route_name(i), buckets[b], (unsigned long long)cumulative);
        }
        emit(t,
             "sobot_mock_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
             "sobot_mock_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
             "sobot_mock_request_duration_seconds_count{route=\"%s\"} %llu\n",
             route_name(i), (unsigned long long)total, route_name(i),
             (double)atomic_load(&routes[i].latency_sum_us) / 1e6, route_name(i),
             (unsigned long long)total);
    }
}

static void render_codes(struct text *t)
{
    emit(t, "# HELP sobot_mock_vendor_codes_total Vendor result codes answered.\n"
            "# TYPE sobot_mock_vendor_codes_total counter\n");
    for (size_t i = 0; i < MAX_CODES && atomic_load(&codes[i].claimed); i++)
        emit(t, "sobot_mock_vendor_codes_total{code=\"%s\"} %llu\n", codes[i].code,
             (unsigned long long)atomic_load(&codes[i].count));
}

static void render_faults(struct text *t)
{
    emit(t, "# HELP sobot_mock_faults_injected_total Faults injected, by action type.\n"
            "# TYPE sobot_mock_faults_injected_total counter\n");
    for (int type = 0; type < FAULT_TYPE_COUNT; type++)
        emit(t, "sobot_mock_faults_injected_total{type=\"%s\"} %llu\n",
             faults_type_name((enum fault_type)type),
             (unsigned long long)faults_injected((enum fault_type)type));
}

static void count_token(const struct store_token *row, void *arg)
{
    (void)row;
    (*(long *)arg)++;
}

static void render_gauges(struct text *t)
{
    long live = 0;
    store_tokens_live(clock_now_ms(), count_token, &live);
    emit(t,
         "# HELP sobot_mock_tokens_live get_token tokens neither expired nor replaced.\n"
         "# TYPE sobot_mock_tokens_live gauge\n"
         "sobot_mock_tokens_live %ld\n"
         "# HELP sobot_mock_journal_entries Requests held in the journal ring.\n"
         "# TYPE sobot_mock_journal_entries gauge\n"
         "sobot_mock_journal_entries %zu\n",
         live, journal_size());
}

char *metrics_render(size_t *len)
{
    struct text t = {malloc(8192), 0, 8192, false};
    if (!t.buf)
        return NULL;
    render_requests(&t);
    render_codes(&t);
    render_faults(&t);
    render_latency(&t);
    render_gauges(&t);
    if (t.failed) {
        free(t.buf);
        return NULL;
    }
    *len = t.len;
    return t.buf;
}
