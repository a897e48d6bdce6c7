/*
 * admin/admin_metrics.c - /__admin/metrics in the Prometheus text format.
 */
#include <stdlib.h>

#include "admin/admin.h"
#include "auth.h"
#include "metrics.h"

static void metrics_get(struct request *rq, struct reply *rp)
{
    (void)rq;
    size_t len;
    char *text = metrics_render(&len);
    if (!text) {
        reply_admin_error(rp, 500, "out of memory rendering the metrics");
        return;
    }
    reply_text(rp, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
    free(text);
}

static const struct route rows[] = {
    {"admin.metrics", "GET", "/__admin/metrics", &auth_none, metrics_get, ENVELOPE_ADMIN, "", true},
};

const struct route_slice admin_metrics_route_slice = ROUTE_SLICE(rows);
