/*
 * httpd.h - listeners, worker threads and the wire.
 *
 * The only module that includes libevent's http headers. It turns each
 * evhttp request into a struct request, calls dispatch, and writes the
 * struct reply back, honouring its transport (delay, reset, close, dribble).
 */
#ifndef SOBOT_HTTPD_H
#define SOBOT_HTTPD_H

#include <stdbool.h>

struct httpd;

/* Binds the listeners and starts the worker threads; NULL on failure
 * (logged). Reads `config`. */
struct httpd *httpd_start(void);

/* The bound HTTP port (the real one when 0 was asked). */
int httpd_http_port(const struct httpd *h);

/* The bound HTTPS port (the real one when 0 was asked); 0 when HTTPS is off. */
int httpd_https_port(const struct httpd *h);

/* Stops the workers, waits for them, closes the listeners, frees h. */
void httpd_stop(struct httpd *h);

#endif
