/*
 * httpd.c - evhttp on N worker threads sharing one listening socket.
 *
 * Each worker owns an event_base and an evhttp per listener (HTTP, and HTTPS
 * unless it is off) that accepts on its own dup() of the listening
 * descriptor: the kernel hands each connection to one of them, and no lock of
 * ours is taken on the request path. A request is read into a struct request
 * on the worker's stack, dispatched, and answered.
 *
 * HTTPS is the same evhttp over a bufferevent_openssl: evhttp asks our bevcb
 * for each accepted connection's bufferevent, and we give it one that runs
 * the server side of a TLS handshake with the shared SSL_CTX (SSL_CTX is safe
 * to share between threads; each connection has its own SSL). A client that
 * speaks plain HTTP to the TLS port, or breaks off its handshake, fails only
 * its own bufferevent: evhttp closes that connection and nothing else.
 *
 * Replies that must wait (a delay or a dribble from the fault engine) keep
 * the evhttp_request alive in a `pending` record until a timer sends them;
 * libevent keeps an unanswered request valid even if its client has gone
 * (it detaches it from the connection), so the timer may always answer.
 */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "dispatch.h"
#include "log.h"
#include "tls.h"

struct pending;
struct worker;

/* One listener as a worker serves it: the callbacks' argument, so a request
 * knows whether it came over TLS and which port it came in on. */
struct endpoint {
    struct worker *worker;
    struct evhttp *http;
    SSL_CTX *tls; /* NULL for plain HTTP */
    int port;
};

struct worker {
    int index;
    struct pending *pending; /* replies waiting on a timer, freed at stop */
    pthread_t thread;
    struct event_base *base;
    struct endpoint plain;
    struct endpoint secure;
    int stop_fd; /* eventfd: written by httpd_stop to end the loop */
    struct event *stop_event;
    bool started;
};

struct httpd {
    evutil_socket_t http_fd;
    int http_port;
    evutil_socket_t https_fd; /* -1 when HTTPS is off */
    int https_port;
    SSL_CTX *tls;
    int n_workers;
    struct worker *workers;
};

/* A reply waiting on a timer: delayed, or being dribbled. */
struct pending {
    struct worker *worker;
    struct pending *prev, *next;
    struct evhttp_request *req;
    struct reply reply;
    struct event *timer;
    size_t sent; /* bytes of the body already dribbled */
    int chunks_left;
    int interval_ms;
    uint64_t deadline_ns; /* waiting replies: when to give up */
    bool started;         /* reply line and headers already sent */
};

/* ---- from the wire to struct request ---- */

static const char *method_name(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_HEAD:
        return "HEAD";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_OPTIONS:
        return "OPTIONS";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    default:
        return "OTHER";
    }
}

/* Splits the raw request target into path and query; accepts the absolute
 * form ("http://host/path?q") too. */
static void split_target(const char *uri, const char **path, size_t *path_len, const char **query)
{
    if (!strncmp(uri, "http://", 7) || !strncmp(uri, "https://", 8)) {
        const char *slash = strchr(strstr(uri, "//") + 2, '/');
        uri = slash ? slash : "/";
    }
    const char *q = strchr(uri, '?');
    *path = uri;
    *path_len = q ? (size_t)(q - uri) : strlen(uri);
    *query = q ? q + 1 : "";
}

/* False when the request has more headers than the view holds: dropping
 * the rest silently could drop its `token`. */
static bool read_headers(struct evhttp_request *req, struct request *rq)
{
    struct evkeyvalq *headers = evhttp_request_get_input_headers(req);
    for (struct evkeyval *h = headers->tqh_first; h; h = h->next.tqe_next) {
        if (rq->header_count == REQUEST_MAX_HEADERS)
            return false;
        rq->headers[rq->header_count].name = h->key;
        rq->headers[rq->header_count].value = h->value;
        rq->header_count++;
    }
    return true;
}

static void read_peer(struct evhttp_request *req, char *out, size_t size)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    char *addr = NULL;
    ev_uint16_t port = 0;
    if (conn)
        evhttp_connection_get_peer(conn, &addr, &port);
    snprintf(out, size, "%s:%u", addr ? addr : "?", (unsigned)port);
}

static const char *scheme_of(const struct request *rq, bool tls)
{
    const char *forwarded = request_header(rq, "X-Forwarded-Proto");
    if (forwarded && !strncmp(forwarded, "https", 5))
        return "https";
    if (forwarded && !strncmp(forwarded, "http", 4))
        return "http";
    return tls ? "https" : "http";
}

/* ---- from struct reply to the wire ---- */

/* Header values must stay one printable line: control characters become
 * spaces and bytes outside ASCII are %-escaped. */
static void header_safe(const char *in, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 4 < size; p++) {
        if (*p >= 0x80) {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        } else {
            out[n++] = (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p;
        }
    }
    out[n] = '\0';
}

static void write_headers(struct evhttp_request *req, const struct reply *rp, bool with_length)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    char safe[REPLY_DIAG_MAX * 3];
    evhttp_add_header(out, "Content-Type", rp->content_type);
    for (size_t i = 0; i < rp->header_count; i++) {
        header_safe(rp->headers[i].value, safe, sizeof safe);
        evhttp_add_header(out, rp->headers[i].name, safe);
    }
    if (rp->diagnostic[0]) {
        header_safe(rp->diagnostic, safe, sizeof safe);
        evhttp_add_header(out, "X-Sobot-Mock-Diagnostic", safe);
    }
    if (with_length) {
        char length[24];
        snprintf(length, sizeof length, "%zu", rp->body_len);
        evhttp_add_header(out, "Content-Length", length);
    }
}

static const char *reason_of(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 410:
        return "Gone";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

static void send_whole(struct evhttp_request *req, const struct reply *rp)
{
    write_headers(req, rp, false);
    if (rp->body_len)
        evbuffer_add(evhttp_request_get_output_buffer(req), rp->body, rp->body_len);
    evhttp_send_reply(req, rp->status, reason_of(rp->status), NULL);
}

/* Aborts the socket behind fd with an RST. libevent shuts the write side
 * down (a FIN) before it closes a connection, and a client reading that FIN
 * sees an orderly close, not a reset. So the real socket is closed here with
 * SO_LINGER 0 by putting an unconnected socket in its place (dup2): libevent
 * then shuts down and closes the stand-in, and the kernel drops the real
 * socket's epoll registration with it. */
static void abort_socket(evutil_socket_t fd)
{
    struct linger hard = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    int stand_in = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (stand_in < 0)
        return;
    dup2(stand_in, fd);
    close(stand_in);
}

/* Closes the client's connection without an answer; with `reset`, with an
 * RST rather than a FIN. */
static void drop_connection(struct evhttp_request *req, bool reset)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    if (!conn) {
        evhttp_request_free(req);
        return;
    }
    struct bufferevent *bev = evhttp_connection_get_bufferevent(conn);
    evutil_socket_t fd = bev ? bufferevent_getfd(bev) : -1;
    if (reset && fd >= 0)
        abort_socket(fd);
    evhttp_connection_free(conn);
}

static void pending_free(struct pending *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else if (p->worker && p->worker->pending == p)
        p->worker->pending = p->next;
    if (p->next)
        p->next->prev = p->prev;
    if (p->timer)
        event_free(p->timer);
    reply_free(&p->reply);
    free(p);
}

static void arm(struct pending *p, int ms)
{
    struct timeval tv = {ms / 1000, (suseconds_t)(ms % 1000) * 1000};
    evtimer_add(p->timer, &tv);
}

/* One step of a dribble: the next slice of the body, or the end. */
static void dribble_step(struct pending *p)
{
    if (!p->started) {
        write_headers(p->req, &p->reply, true);
        evhttp_send_reply_start(p->req, p->reply.status, reason_of(p->reply.status));
        p->started = true;
    }
    size_t left = p->reply.body_len - p->sent;
    size_t slice = p->chunks_left > 1 ? left / (size_t)p->chunks_left : left;
    if (slice == 0 && left)
        slice = 1;
    if (slice) {
        struct evbuffer *chunk = evbuffer_new();
        if (chunk) {
            evbuffer_add(chunk, p->reply.body + p->sent, slice);
            evhttp_send_reply_chunk(p->req, chunk);
            evbuffer_free(chunk);
        }
        p->sent += slice;
    }
    p->chunks_left--;
    if (p->sent >= p->reply.body_len || p->chunks_left <= 0) {
        evhttp_send_reply_end(p->req);
        pending_free(p);
        return;
    }
    arm(p, p->interval_ms);
}

static void finish(struct evhttp_request *req, const struct reply *rp)
{
    switch (rp->transport.kind) {
    case TRANSPORT_RESET:
        drop_connection(req, true);
        break;
    case TRANSPORT_EMPTY:
        drop_connection(req, false);
        break;
    default:
        send_whole(req, rp);
        break;
    }
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct pending *p = arg;
    if (p->reply.wait.poll) {
        bool last = clock_mono_ns() >= p->deadline_ns;
        if (!p->reply.wait.poll(p->reply.wait.state, last, &p->reply) && !last) {
            arm(p, p->interval_ms);
            return;
        }
        p->reply.wait.poll = NULL;
        send_whole(p->req, &p->reply);
        pending_free(p);
        return;
    }
    if (p->reply.transport.kind == TRANSPORT_DRIBBLE) {
        dribble_step(p);
        return;
    }
    finish(p->req, &p->reply);
    pending_free(p);
}

/* Answers now, or hands the reply to a timer when it must wait. Takes the
 * reply's contents either way. */
static void respond(struct worker *w, struct evhttp_request *req, struct reply *rp)
{
    const struct transport *t = &rp->transport;
    bool waits = rp->wait.poll || t->delay_ms > 0 || t->kind == TRANSPORT_DRIBBLE ||
                 t->kind == TRANSPORT_RESET || t->kind == TRANSPORT_EMPTY;
    if (!waits) {
        send_whole(req, rp);
        reply_free(rp);
        return;
    }
    struct pending *p = calloc(1, sizeof *p);
    if (p)
        p->timer = evtimer_new(w->base, on_timer, p);
    if (!p || !p->timer) {
        free(p);
        send_whole(req, rp);
        reply_free(rp);
        return;
    }
    p->req = req;
    p->worker = w;
    p->next = w->pending;
    if (w->pending)
        w->pending->prev = p;
    w->pending = p;
    p->reply = *rp; /* the pending record owns the body and headers now */
    p->chunks_left = t->chunks > 0 ? t->chunks : 1;
    p->interval_ms = t->kind == TRANSPORT_DRIBBLE ? t->total_ms / p->chunks_left : 0;
    if (rp->wait.poll) {
        p->interval_ms = rp->wait.interval_ms > 0 ? rp->wait.interval_ms : 10;
        p->deadline_ns = clock_mono_ns() + (uint64_t)rp->wait.timeout_ms * 1000000ull;
        arm(p, p->interval_ms);
        return;
    }
    /* Resets and closes also go through the timer, so the connection is not
     * freed under evhttp's feet while it is still inside this callback. */
    arm(p, t->delay_ms > 0 ? t->delay_ms : 0);
}

/* The Host header as sent; without one, the address and port the request
 * came in on, so a link built from it still leads back here. */
static void host_of(const struct request *rq, const struct endpoint *ep, char *out, size_t size)
{
    const char *host_header = request_header(rq, "Host");
    if (host_header && *host_header)
        snprintf(out, size, "%s", host_header);
    else
        snprintf(out, size, strchr(config.listen, ':') ? "[%s]:%d" : "%s:%d", config.listen,
                 ep->port);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct endpoint *ep = arg;
    struct worker *w = ep->worker;
    struct request rq;
    struct reply rp;
    char path[REQUEST_MAX_PATH], peer[80], host[256];
    memset(&rq, 0, sizeof rq);
    reply_init(&rp);
    const char *raw_path, *query;
    size_t raw_len;
    split_target(evhttp_request_get_uri(req), &raw_path, &raw_len, &query);
    if (raw_len >= REQUEST_MAX_PATH ||
        !dispatch_normalize_path(raw_path, raw_len, path, sizeof path)) {
        reply_admin_error(&rp, 400, "the request path is malformed or longer than %d bytes",
                          REQUEST_MAX_PATH - 1);
        respond(w, req, &rp);
        return;
    }
    struct evbuffer *input = evhttp_request_get_input_buffer(req);
    rq.method = method_name(evhttp_request_get_command(req));
    rq.path = path;
    rq.query = query;
    rq.body_len = evbuffer_get_length(input);
    rq.body = rq.body_len ? (const char *)evbuffer_pullup(input, -1) : NULL;
    if (!read_headers(req, &rq)) {
        reply_admin_error(&rp, 400, "the request has more than %d headers", REQUEST_MAX_HEADERS);
        respond(w, req, &rp);
        return;
    }
    rq.content_type = request_header(&rq, "Content-Type");
    rq.scheme = scheme_of(&rq, ep->tls != NULL);
    host_of(&rq, ep, host, sizeof host);
    rq.host = host;
    read_peer(req, peer, sizeof peer);
    rq.remote = peer;
    rq.worker = w->index;
    dispatch(&rq, &rp);
    respond(w, req, &rp);
}

/* ---- listeners and workers ---- */

/* Fills ss from a literal IPv4 or IPv6 address and a port (0 allowed). */
static bool parse_address(const char *address, int port, struct sockaddr_storage *ss,
                          socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return true;
    }
    return false;
}

static evutil_socket_t bind_listener(const char *address, int port, int *bound_port)
{
    struct sockaddr_storage ss;
    socklen_t ss_len;
    char spec[300];
    snprintf(spec, sizeof spec, strchr(address, ':') ? "[%s]:%d" : "%s:%d", address, port);
    if (!parse_address(!strcmp(address, "localhost") ? "127.0.0.1" : address, port, &ss, &ss_len)) {
        log_error("cannot parse listen address '%s' (give a literal IPv4 or IPv6 address)",
                  address);
        return -1;
    }
    evutil_socket_t fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
        bind(fd, (struct sockaddr *)&ss, ss_len) < 0 || listen(fd, 1024) < 0) {
        log_error("cannot listen on %s: %s", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

/* evhttp's bevcb for the HTTPS listener: every accepted connection gets a
 * bufferevent that first runs the server side of the TLS handshake. */
static struct bufferevent *tls_bufferevent(struct event_base *base, void *arg)
{
    struct endpoint *ep = arg;
    SSL *ssl = SSL_new(ep->tls);
    if (!ssl)
        return NULL;
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        SSL_free(ssl);
        return NULL;
    }
    /* Many clients close without a TLS close_notify; that is not an error
     * worth failing a finished exchange over. */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    return bev;
}

static struct evhttp *make_evhttp(struct worker *w, struct endpoint *ep, evutil_socket_t listen_fd)
{
    struct evhttp *http = evhttp_new(w->base);
    if (!http)
        return NULL;
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                         EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
                                         EVHTTP_REQ_PATCH);
    evhttp_set_max_body_size(http, (ev_ssize_t)config.max_body);
    evhttp_set_max_headers_size(http, (ev_ssize_t)config.max_headers);
    evhttp_set_timeout(http, config.timeout_s);
    evhttp_set_gencb(http, on_request, ep);
    if (ep->tls)
        evhttp_set_bevcb(http, tls_bufferevent, ep);
    evutil_socket_t fd = dup(listen_fd);
    if (fd < 0 || !evhttp_accept_socket_with_handle(http, fd)) {
        if (fd >= 0)
            close(fd);
        evhttp_free(http);
        return NULL;
    }
    return http;
}

/* The loop is ended from inside its own thread: libevent's bases are then
 * used by one thread only and need none of evthread's locks. */
static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct worker *w = arg;
    event_base_loopbreak(w->base);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

/* epoll's change list folds the many enable/disable pairs evhttp makes per
 * request into at most one epoll_ctl per descriptor and loop turn; without
 * it the kernel work of epoll_ctl outweighs the mock's own. */
static struct event_base *new_base(void)
{
    struct event_config *cfg = event_config_new();
    if (!cfg)
        return NULL;
    event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK | EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    struct event_base *base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

static bool worker_setup(struct httpd *h, struct worker *w, int index)
{
    w->index = index;
    w->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->base = new_base();
    if (!w->base || w->stop_fd < 0)
        return false;
    w->stop_event = event_new(w->base, w->stop_fd, EV_READ | EV_PERSIST, on_stop, w);
    if (!w->stop_event || event_add(w->stop_event, NULL) < 0)
        return false;
    w->plain = (struct endpoint){w, NULL, NULL, h->http_port};
    w->plain.http = make_evhttp(w, &w->plain, h->http_fd);
    if (!w->plain.http)
        return false;
    if (h->https_fd < 0)
        return true;
    w->secure = (struct endpoint){w, NULL, h->tls, h->https_port};
    w->secure.http = make_evhttp(w, &w->secure, h->https_fd);
    return w->secure.http != NULL;
}

/* "off", or a port number (0: any free one). */
static bool https_wanted(int *port)
{
    if (!strcmp(config.https_port, "off"))
        return false;
    *port = atoi(config.https_port);
    return true;
}

/* Binds the HTTPS listener and makes its TLS context, writing the
 * certificate out when asked. True when HTTPS is off, too. */
static bool start_https(struct httpd *h)
{
    int port;
    if (!https_wanted(&port)) {
        if (config.tls_cert_out)
            log_warn("--tls-cert-out ignored: HTTPS is off");
        return true;
    }
    char err[512];
    h->tls = tls_server_context(config.tls_cert, config.tls_key, err, sizeof err);
    if (!h->tls) {
        log_error("%s", err);
        return false;
    }
    if (config.tls_cert_out &&
        !tls_write_certificate(h->tls, config.tls_cert_out, err, sizeof err)) {
        log_error("%s", err);
        return false;
    }
    h->https_fd = bind_listener(config.listen, port, &h->https_port);
    return h->https_fd >= 0;
}

static int worker_count(void)
{
    if (config.threads > 0)
        return config.threads > 256 ? 256 : config.threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int)cores : 1;
}

struct httpd *httpd_start(void)
{
    struct httpd *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->https_fd = -1;
    h->http_fd = bind_listener(config.listen, config.port, &h->http_port);
    h->n_workers = worker_count();
    h->workers = calloc((size_t)h->n_workers, sizeof *h->workers);
    for (int i = 0; h->workers && i < h->n_workers; i++)
        h->workers[i].stop_fd = -1;
    if (h->http_fd < 0 || !h->workers || !start_https(h)) {
        httpd_stop(h);
        return NULL;
    }
    for (int i = 0; i < h->n_workers; i++) {
        struct worker *w = &h->workers[i];
        if (!worker_setup(h, w, i) || pthread_create(&w->thread, NULL, worker_main, w)) {
            log_error("cannot start worker %d", i);
            httpd_stop(h);
            return NULL;
        }
        w->started = true;
    }
    return h;
}

int httpd_http_port(const struct httpd *h)
{
    return h->http_port;
}

int httpd_https_port(const struct httpd *h)
{
    return h->https_fd >= 0 ? h->https_port : 0;
}

void httpd_stop(struct httpd *h)
{
    if (!h)
        return;
    for (int i = 0; h->workers && i < h->n_workers; i++) {
        uint64_t one = 1;
        if (h->workers[i].started && write(h->workers[i].stop_fd, &one, sizeof one) < 0)
            log_error("cannot signal worker %d to stop", i);
    }
    for (int i = 0; h->workers && i < h->n_workers; i++) {
        struct worker *w = &h->workers[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        for (struct pending *p = w->pending, *next; p; p = next) {
            next = p->next;
            pending_free(p);
        }
        if (w->plain.http)
            evhttp_free(w->plain.http);
        if (w->secure.http)
            evhttp_free(w->secure.http);
        if (w->stop_event)
            event_free(w->stop_event);
        if (w->stop_fd >= 0)
            close(w->stop_fd);
        if (w->base)
            event_base_free(w->base);
    }
    if (h->http_fd >= 0)
        close(h->http_fd);
    if (h->https_fd >= 0)
        close(h->https_fd);
    SSL_CTX_free(h->tls);
    free(h->workers);
    free(h);
}
