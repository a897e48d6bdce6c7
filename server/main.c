/*
 * main.c - config → store → fixtures → workers → wait for a signal → stop.
 * Nothing else lives here.
 */
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "fixtures.h"
#include "httpd.h"
#include "log.h"
#include "store/store.h"

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    log_info("signal %d: stopping", (int)sig);
    event_base_loopbreak(arg);
}

static bool write_port_file(const struct httpd *h)
{
    if (!config.port_file)
        return true;
    /* Written whole under a temporary name, then renamed: a script polling
     * for the file never reads half of it. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", config.port_file);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    /* Line 2 is the HTTPS port, or "off": never a number that is no port. */
    if (httpd_https_port(h))
        fprintf(f, "%d\n%d\n", httpd_http_port(h), httpd_https_port(h));
    else
        fprintf(f, "%d\noff\n", httpd_http_port(h));
    bool ok = fclose(f) == 0 && rename(tmp, config.port_file) == 0;
    if (!ok)
        log_error("cannot write port file %s", config.port_file);
    return ok;
}

static bool load_state(void)
{
    char err[512] = "";
    if (!store_open(config.db))
        return false;
    if (config.db && store_had_state()) {
        log_info("database %s holds state; fixtures not reloaded (POST /__admin/reset to reload)",
                 config.db);
        return true;
    }
    if (!fixtures_load(config.fixtures, err, sizeof err)) {
        log_error("fixtures: %s", err);
        return false;
    }
    return true;
}

/* A listener's URL, an IPv6 address in brackets. */
static void base_url(const char *scheme, int port, char *out, size_t size)
{
    bool v6 = strchr(config.listen, ':') != NULL;
    snprintf(out, size, v6 ? "%s://[%s]:%d/" : "%s://%s:%d/", scheme, config.listen, port);
}

/* Names every listener with its real port. */
static void log_ready_line(const struct httpd *h)
{
    char http[320], https[320];
    base_url("http", httpd_http_port(h), http, sizeof http);
    if (!httpd_https_port(h)) {
        log_ready("sobot-mock %s ready on %s", SOBOT_MOCK_VERSION, http);
        return;
    }
    base_url("https", httpd_https_port(h), https, sizeof https);
    log_ready("sobot-mock %s ready on %s and %s", SOBOT_MOCK_VERSION, http, https);
}

/* The main thread's loop that waits for SIGINT/SIGTERM. Made before the
 * port file is written, so a script that signals as soon as it sees the file
 * stops the mock cleanly instead of killing it. */
struct signal_waiter {
    struct event_base *base;
    struct event *sig_int, *sig_term;
};

static bool signals_catch(struct signal_waiter *w)
{
    w->base = event_base_new();
    if (!w->base)
        return false;
    w->sig_int = evsignal_new(w->base, SIGINT, on_signal, w->base);
    w->sig_term = evsignal_new(w->base, SIGTERM, on_signal, w->base);
    return w->sig_int && w->sig_term && evsignal_add(w->sig_int, NULL) == 0 &&
           evsignal_add(w->sig_term, NULL) == 0;
}

static void signals_release(struct signal_waiter *w)
{
    if (w->sig_int)
        event_free(w->sig_int);
    if (w->sig_term)
        event_free(w->sig_term);
    if (w->base)
        event_base_free(w->base);
}

int main(int argc, char **argv)
{
    enum config_result cr = config_load(argc, argv);
    if (cr != CONFIG_OK) {
        config_free();
        return cr == CONFIG_EXIT_OK ? 0 : 2;
    }
    log_configure(!strcmp(config.log_format, "json"), config.quiet ? LOG_WARN : LOG_INFO);
    signal(SIGPIPE, SIG_IGN);
    int status = 1;
    struct httpd *h = NULL;
    struct signal_waiter waiter = {0};
    if (signals_catch(&waiter) && load_state() && (h = httpd_start()) && write_port_file(h)) {
        log_ready_line(h);
        event_base_dispatch(waiter.base);
        status = 0;
    }
    signals_release(&waiter);
    httpd_stop(h);
    store_close();
    fixtures_free();
    config_free();
    return status;
}
