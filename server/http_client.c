/*
 * http_client.c - one outbound HTTP(S)/1.1 exchange with a hard deadline.
 *
 * How it works: the URL is parsed; the host resolves (IP literals at once,
 * names through libevent's evdns on a private event base, which can be
 * abandoned at the deadline, unlike getaddrinfo); each address is tried with
 * a non-blocking connect; TLS (OpenSSL) is layered on the socket for https;
 * the request goes out with "Connection: close"; bytes are read until the
 * parser says the response is complete, the peer closes, the size cap is hit
 * or the deadline passes. Every wait is a poll() bounded by the deadline, so
 * the call never outlives timeout_ms by more than a scheduling tick.
 *
 * Why not evhttp's client: its timeouts apply per operation rather than to
 * the whole exchange, and its errors do not say whether the server was
 * reachable at all, which is the first thing a user testing a token endpoint
 * needs to know.
 *
 * This module must never touch the store, the mock clock or a reply: it
 * measures time with clock_mono_ns only, and reports what happened.
 */
#include "http_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

#define MAX_ADDRS 4
#define NS_PER_MS 1000000ull

/* ---- URL ---- */

static bool url_fail(char *err, size_t err_size, const char *why)
{
    snprintf(err, err_size, "%s", why);
    return false;
}

static bool valid_port(const char *text, size_t len)
{
    if (len == 0 || len > 5)
        return false;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

/* host[:port] or [v6][:port] */
static bool parse_authority(const char *auth, size_t len, struct http_url *out, char *err,
                            size_t err_size)
{
    const char *host = auth, *colon;
    size_t host_len;
    if (memchr(auth, '@', len))
        return url_fail(err, err_size, "credentials in the URL are not supported");
    if (len && auth[0] == '[') {
        const char *close = memchr(auth, ']', len);
        if (!close)
            return url_fail(err, err_size, "unclosed '[' in the host");
        host = auth + 1;
        host_len = (size_t)(close - host);
        colon = close + 1 < auth + len && close[1] == ':' ? close + 1 : NULL;
        if (!colon && close + 1 != auth + len)
            return url_fail(err, err_size, "unexpected text after ']'");
    } else {
        colon = memchr(auth, ':', len);
        host_len = colon ? (size_t)(colon - auth) : len;
    }
    if (host_len == 0 || host_len >= sizeof out->host)
        return url_fail(err, err_size, "the URL has no host, or one too long");
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    if (colon) {
        size_t port_len = (size_t)(auth + len - colon - 1);
        if (!valid_port(colon + 1, port_len))
            return url_fail(err, err_size, "the port must be a number from 1 to 65535");
        memcpy(out->port, colon + 1, port_len);
        out->port[port_len] = '\0';
    }
    return true;
}

bool http_url_parse(const char *url, struct http_url *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (!url)
        return url_fail(err, err_size, "no URL");
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return url_fail(err, err_size, "the URL contains a space or control character");
    const char *rest;
    if (!strncasecmp(url, "http://", 7)) {
        rest = url + 7;
    } else if (!strncasecmp(url, "https://", 8)) {
        rest = url + 8;
        out->tls = true;
    } else {
        return url_fail(err, err_size, "the URL must start with http:// or https://");
    }
    snprintf(out->port, sizeof out->port, "%s", out->tls ? "443" : "80");
    size_t auth_len = strcspn(rest, "/?#");
    if (!parse_authority(rest, auth_len, out, err, err_size))
        return false;
    const char *target = rest + auth_len;
    size_t target_len = strcspn(target, "#");
    bool needs_slash = target_len == 0 || target[0] == '?';
    if (target_len + 2 > sizeof out->target)
        return url_fail(err, err_size, "the URL's path is too long");
    snprintf(out->target, sizeof out->target, "%s%.*s", needs_slash ? "/" : "", (int)target_len,
             target);
    return true;
}

/* ---- response parsing ---- */

static const char *find_head_end(const char *data, size_t len)
{
    for (size_t i = 0; i + 3 < len; i++)
        if (!memcmp(data + i, "\r\n\r\n", 4))
            return data + i + 4;
    return NULL;
}

/* The value of header `name` within the head, or NULL; *vlen its length. */
static const char *head_value(const char *head, size_t head_len, const char *name, size_t *vlen)
{
    size_t name_len = strlen(name);
    const char *line = memchr(head, '\n', head_len);
    const char *end = head + head_len;
    while (line && ++line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            break;
        if ((size_t)(eol - line) > name_len && line[name_len] == ':' &&
            !strncasecmp(line, name, name_len)) {
            const char *v = line + name_len + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        line = eol;
    }
    return NULL;
}

static bool parse_status_line(const char *data, size_t len, int *status)
{
    if (len < 12 || strncmp(data, "HTTP/1.", 7) || data[8] != ' ')
        return false;
    int s = 0;
    for (int i = 9; i < 12; i++) {
        if (data[i] < '0' || data[i] > '9')
            return false;
        s = s * 10 + (data[i] - '0');
    }
    *status = s;
    return s >= 100;
}

static char *copy_bytes(const char *data, size_t len)
{
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, data, len);
        out[len] = '\0';
    }
    return out;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* A chunk-size line from p to eol (the '\n'): hex digits, then optional
 * blanks and ";ext", then CRLF. Not strtoul: it would skip leading
 * whitespace (newlines too, past eol and past the bytes received, which
 * are not NUL-terminated), and take a sign or "0x". */
static bool chunk_size(const char *p, const char *eol, size_t *size)
{
    size_t v = 0, digits = 0;
    for (int d; p < eol && (d = hex_digit(*p)) >= 0; p++, digits++) {
        if (digits == 15) /* past any size an answer under the cap can have */
            return false;
        v = v * 16 + (size_t)d;
    }
    while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
    *size = v;
    return digits > 0 && (p == eol || *p == ';' || (*p == '\r' && p + 1 == eol));
}

/* Decodes a chunked body; MORE until the last chunk and its trailers end. */
static enum http_parse_state dechunk(const char *p, size_t len, char **body, size_t *body_len,
                                     char *err, size_t err_size)
{
    char *out = malloc(len + 1);
    size_t n = 0, i = 0;
    if (!out)
        return HTTP_PARSE_BAD;
    for (;;) {
        const char *eol = i < len ? memchr(p + i, '\n', len - i) : NULL;
        if (!eol)
            break;
        size_t size;
        if (!chunk_size(p + i, eol, &size)) {
            snprintf(err, err_size, "malformed chunk size");
            free(out);
            return HTTP_PARSE_BAD;
        }
        size_t data_at = (size_t)(eol - p) + 1;
        if (size == 0) {
            /* Trailers, if any, end with an empty line. */
            if (!find_head_end(p + data_at - 2, len - data_at + 2))
                break;
            out[n] = '\0';
            *body = out;
            *body_len = n;
            return HTTP_PARSE_DONE;
        }
        if (size > len || data_at + size + 2 > len)
            break;
        if (memcmp(p + data_at + size, "\r\n", 2)) {
            snprintf(err, err_size, "a chunk is longer than its size line says");
            free(out);
            return HTTP_PARSE_BAD;
        }
        memcpy(out + n, p + data_at, size);
        n += size;
        i = data_at + size + 2; /* the chunk's CRLF */
    }
    free(out);
    return HTTP_PARSE_MORE;
}

static bool is_chunked(const char *head, size_t head_len)
{
    size_t vlen;
    const char *te = head_value(head, head_len, "Transfer-Encoding", &vlen);
    for (size_t i = 0; te && i + 7 <= vlen; i++)
        if (!strncasecmp(te + i, "chunked", 7))
            return true;
    return false;
}

enum http_parse_state http_response_parse(const char *data, size_t len, bool eof, int *status,
                                          char **body, size_t *body_len, char *err, size_t err_size)
{
    *body = NULL;
    *body_len = 0;
    const char *body_at = find_head_end(data, len);
    if (!body_at) {
        if (len >= 12 && !parse_status_line(data, len, status)) {
            snprintf(err, err_size, "the answer does not start with an HTTP/1.x status line");
            return HTTP_PARSE_BAD;
        }
        if (eof)
            snprintf(err, err_size, "the connection closed before the headers ended");
        return eof ? HTTP_PARSE_BAD : HTTP_PARSE_MORE;
    }
    size_t head_len = (size_t)(body_at - data), rest = len - head_len;
    if (!parse_status_line(data, head_len, status)) {
        snprintf(err, err_size, "the answer does not start with an HTTP/1.x status line");
        return HTTP_PARSE_BAD;
    }
    enum http_parse_state state = HTTP_PARSE_MORE;
    size_t vlen;
    const char *cl = head_value(data, head_len, "Content-Length", &vlen);
    if (*status == 204 || *status == 304 || *status < 200) {
        *body = copy_bytes("", 0);
        state = HTTP_PARSE_DONE;
    } else if (is_chunked(data, head_len)) {
        state = dechunk(body_at, rest, body, body_len, err, err_size);
    } else if (cl) {
        char *end;
        unsigned long long want = strtoull(cl, &end, 10);
        if (end == cl || end != cl + vlen) {
            snprintf(err, err_size, "malformed Content-Length");
            return HTTP_PARSE_BAD;
        }
        if (rest >= want) {
            *body = copy_bytes(body_at, (size_t)want);
            *body_len = (size_t)want;
            state = HTTP_PARSE_DONE;
        }
    } else if (eof) {
        *body = copy_bytes(body_at, rest);
        *body_len = rest;
        state = HTTP_PARSE_DONE;
    }
    if (state == HTTP_PARSE_DONE && !*body)
        return HTTP_PARSE_BAD;
    if (state == HTTP_PARSE_MORE && eof) {
        snprintf(err, err_size, "the connection closed before the body was complete");
        return HTTP_PARSE_BAD;
    }
    return state;
}

/* ---- waiting ---- */

static int remaining_ms(uint64_t deadline_ns)
{
    uint64_t now = clock_mono_ns();
    if (now >= deadline_ns)
        return 0;
    uint64_t left = (deadline_ns - now + NS_PER_MS - 1) / NS_PER_MS;
    return left > 60000 ? 60000 : (int)left;
}

/* 1 ready, 0 deadline passed, -1 poll failed. */
static int wait_fd(int fd, short events, uint64_t deadline_ns)
{
    for (;;) {
        int left = remaining_ms(deadline_ns);
        if (left == 0)
            return 0;
        struct pollfd p = {fd, events, 0};
        int rc = poll(&p, 1, left);
        if (rc > 0)
            return 1;
        if (rc < 0 && errno != EINTR)
            return -1;
    }
}

/* ---- resolution ---- */

struct addrs {
    struct sockaddr_storage addr[MAX_ADDRS];
    socklen_t len[MAX_ADDRS];
    int count;
};

static void keep_addrs(const struct evutil_addrinfo *ai, struct addrs *out)
{
    for (; ai && out->count < MAX_ADDRS; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof out->addr[0])
            continue;
        memcpy(&out->addr[out->count], ai->ai_addr, ai->ai_addrlen);
        out->len[out->count++] = (socklen_t)ai->ai_addrlen;
    }
}

static struct evutil_addrinfo stream_hints(int flags)
{
    struct evutil_addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = flags;
    return hints;
}

static bool resolve_numeric(const char *host, const char *port, struct addrs *out)
{
    struct evutil_addrinfo hints = stream_hints(EVUTIL_AI_NUMERICHOST | EVUTIL_AI_NUMERICSERV);
    struct evutil_addrinfo *ai = NULL;
    if (evutil_getaddrinfo(host, port, &hints, &ai) != 0)
        return false;
    keep_addrs(ai, out);
    evutil_freeaddrinfo(ai);
    return out->count > 0;
}

struct dns_wait {
    struct event_base *base;
    struct addrs *out;
    int result;
    bool done;
};

static void on_resolved(int result, struct evutil_addrinfo *ai, void *arg)
{
    struct dns_wait *w = arg;
    w->result = result;
    w->done = true;
    keep_addrs(ai, w->out);
    if (ai)
        evutil_freeaddrinfo(ai);
    event_base_loopbreak(w->base);
}

/* A name through evdns (which reads /etc/hosts and resolv.conf), bounded by
 * the deadline. */
static bool resolve_name(const char *host, const char *port, uint64_t deadline_ns,
                         struct addrs *out, char *err, size_t err_size)
{
    struct dns_wait w = {event_base_new(), out, 0, false};
    struct evdns_base *dns =
        w.base ? evdns_base_new(w.base, EVDNS_BASE_INITIALIZE_NAMESERVERS) : NULL;
    if (!dns) {
        snprintf(err, err_size, "cannot start a resolver for %.120s", host);
        if (w.base)
            event_base_free(w.base);
        return false;
    }
    struct evutil_addrinfo hints = stream_hints(EVUTIL_AI_ADDRCONFIG);
    struct evdns_getaddrinfo_request *q =
        evdns_getaddrinfo(dns, host, port, &hints, on_resolved, &w);
    while (!w.done && remaining_ms(deadline_ns) > 0) {
        int left = remaining_ms(deadline_ns);
        struct timeval tv = {left / 1000, (suseconds_t)(left % 1000) * 1000};
        event_base_loopexit(w.base, &tv);
        event_base_dispatch(w.base);
    }
    if (!w.done && q) {
        /* The cancellation's callback is deferred: let the loop run it so
         * nothing refers to `w` once this frame is gone. */
        evdns_getaddrinfo_cancel(q);
        for (int i = 0; i < 8 && !w.done; i++)
            event_base_loop(w.base, EVLOOP_NONBLOCK);
    }
    bool timed_out = !w.done;
    evdns_base_free(dns, 1);
    event_base_free(w.base);
    if (out->count > 0)
        return true;
    if (timed_out)
        snprintf(err, err_size, "resolving %.120s took longer than the timeout", host);
    else
        snprintf(err, err_size, "cannot resolve %.120s: %s", host, evutil_gai_strerror(w.result));
    return false;
}

/* ---- the connection ---- */

struct conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
};

static void conn_close(struct conn *c)
{
    if (c->ssl)
        SSL_free(c->ssl);
    if (c->ctx)
        SSL_CTX_free(c->ctx);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->ssl = NULL;
    c->ctx = NULL;
}

static void addr_text(const struct sockaddr_storage *sa, char *out, size_t size)
{
    const void *ip = sa->ss_family == AF_INET6
                         ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                         : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->ss_family, ip, out, (socklen_t)size))
        snprintf(out, size, "?");
}

/* One address; the socket, or -1 with the reason appended to err. */
static int connect_addr(const struct sockaddr_storage *sa, socklen_t len, uint64_t deadline_ns,
                        char *err, size_t err_size)
{
    char where[INET6_ADDRSTRLEN];
    addr_text(sa, where, sizeof where);
    int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return -1;
    }
    int why = 0;
    if (connect(fd, (const struct sockaddr *)sa, len) < 0) {
        if (errno != EINPROGRESS) {
            why = errno;
        } else {
            int ready = wait_fd(fd, POLLOUT, deadline_ns);
            socklen_t why_len = sizeof why;
            if (ready == 0)
                why = ETIMEDOUT;
            else if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &why, &why_len) < 0)
                why = errno;
        }
    }
    if (why == 0)
        return fd;
    close(fd);
    size_t used = strlen(err);
    snprintf(err + used, err_size - used, "%sconnecting to %s: %s", used ? "; " : "", where,
             why == ETIMEDOUT ? "timed out" : strerror(why));
    return -1;
}

static void tls_error(SSL *ssl, char *err, size_t err_size)
{
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
        snprintf(err, err_size,
                 "TLS: the server's certificate is not trusted (%s); send \"tls_verify\":false "
                 "to test anyway",
                 X509_verify_cert_error_string(verify));
        return;
    }
    unsigned long code = ERR_get_error();
    char reason[160] = "handshake failed";
    if (code)
        ERR_error_string_n(code, reason, sizeof reason);
    snprintf(err, err_size, "TLS: %s", reason);
}

/* Waits for what OpenSSL asked; false on deadline or poll error. */
static bool tls_wait(struct conn *c, int rc, uint64_t deadline_ns)
{
    int e = SSL_get_error(c->ssl, rc);
    if (e == SSL_ERROR_WANT_READ)
        return wait_fd(c->fd, POLLIN, deadline_ns) == 1;
    if (e == SSL_ERROR_WANT_WRITE)
        return wait_fd(c->fd, POLLOUT, deadline_ns) == 1;
    return false;
}

static bool is_ip_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static bool tls_start(struct conn *c, const char *host, bool verify, uint64_t deadline_ns,
                      char *err, size_t err_size)
{
    ERR_clear_error();
    c->ctx = SSL_CTX_new(TLS_client_method());
    c->ssl = c->ctx ? SSL_new(c->ctx) : NULL;
    if (!c->ssl) {
        snprintf(err, err_size, "TLS: cannot create a context");
        return false;
    }
    /* Servers that close without close_notify are common; their answers
     * are still complete when Content-Length or chunking says so. */
    SSL_set_options(c->ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
    if (verify) {
        SSL_CTX_set_default_verify_paths(c->ctx);
        SSL_set_verify(c->ssl, SSL_VERIFY_PEER, NULL);
        X509_VERIFY_PARAM *param = SSL_get0_param(c->ssl);
        if (is_ip_literal(host))
            X509_VERIFY_PARAM_set1_ip_asc(param, host);
        else
            SSL_set1_host(c->ssl, host);
    }
    if (!is_ip_literal(host))
        SSL_set_tlsext_host_name(c->ssl, host);
    SSL_set_fd(c->ssl, c->fd);
    int rc;
    while ((rc = SSL_connect(c->ssl)) != 1) {
        if (!tls_wait(c, rc, deadline_ns)) {
            if (remaining_ms(deadline_ns) == 0)
                snprintf(err, err_size, "TLS: no handshake before the timeout");
            else
                tls_error(c->ssl, err, err_size);
            return false;
        }
    }
    return true;
}

/* Whole buffer out; false on error or deadline (timed_out says which). */
static bool conn_write_all(struct conn *c, const char *data, size_t len, uint64_t deadline_ns,
                           bool *timed_out)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n;
        if (c->ssl) {
            int rc = SSL_write(c->ssl, data + done, (int)(len - done));
            if (rc > 0) {
                done += (size_t)rc;
                continue;
            }
            if (!tls_wait(c, rc, deadline_ns)) {
                *timed_out = remaining_ms(deadline_ns) == 0;
                return false;
            }
            continue;
        }
        n = send(c->fd, data + done, len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(c->fd, POLLOUT, deadline_ns) != 1) {
                *timed_out = remaining_ms(deadline_ns) == 0;
                return false;
            }
        } else {
            return false;
        }
    }
    return true;
}

/* >0 bytes, 0 the peer closed, -1 error, -2 deadline. */
static ssize_t conn_read(struct conn *c, char *buf, size_t cap, uint64_t deadline_ns)
{
    for (;;) {
        if (c->ssl) {
            int rc = SSL_read(c->ssl, buf, (int)cap);
            if (rc > 0)
                return rc;
            int e = SSL_get_error(c->ssl, rc);
            if (e == SSL_ERROR_ZERO_RETURN)
                return 0;
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                return -1;
            if (!tls_wait(c, rc, deadline_ns))
                return remaining_ms(deadline_ns) == 0 ? -2 : -1;
            continue;
        }
        ssize_t n = recv(c->fd, buf, cap, 0);
        if (n >= 0)
            return n;
        if (errno != EAGAIN && errno != EINTR)
            return -1;
        int ready = wait_fd(c->fd, POLLIN, deadline_ns);
        if (ready != 1)
            return ready == 0 ? -2 : -1;
    }
}

/* ---- the exchange ---- */

__attribute__((format(printf, 3, 4))) static bool
fail(struct http_client_response *resp, enum http_client_result result, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(resp->error, sizeof resp->error, fmt, ap);
    va_end(ap);
    resp->result = result;
    return false;
}

static char *request_head(const struct http_client_request *req, const struct http_url *url,
                          size_t *len)
{
    bool v6 = strchr(url->host, ':') != NULL;
    bool default_port = !strcmp(url->port, url->tls ? "443" : "80");
    char body_headers[128] = "";
    if (req->content_type)
        snprintf(body_headers, sizeof body_headers,
                 "Content-Type: %.80s\r\nContent-Length: %zu\r\n", req->content_type,
                 req->body_len);
    char *head = NULL;
    int n = asprintf(&head,
                     "%s %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: %s\r\n"
                     "Accept: application/json\r\n%sConnection: close\r\n\r\n",
                     req->method, url->target, v6 ? "[" : "", url->host, v6 ? "]" : "",
                     default_port ? "" : ":", default_port ? "" : url->port,
                     req->user_agent ? req->user_agent : "sobot-mock", body_headers);
    if (n < 0)
        return NULL;
    *len = (size_t)n;
    return head;
}

static bool open_conn(struct conn *c, const struct http_url *url, bool verify, uint64_t deadline_ns,
                      struct http_client_response *resp)
{
    struct addrs addrs = {0};
    char why[256] = "";
    if (!resolve_numeric(url->host, url->port, &addrs) &&
        !resolve_name(url->host, url->port, deadline_ns, &addrs, why, sizeof why))
        return fail(resp, HTTP_CLIENT_RESOLVE, "%s", why);
    for (int i = 0; i < addrs.count && c->fd < 0; i++)
        c->fd = connect_addr(&addrs.addr[i], addrs.len[i], deadline_ns, why, sizeof why);
    if (c->fd < 0)
        return fail(resp, HTTP_CLIENT_CONNECT, "%s", why);
    if (url->tls && !tls_start(c, url->host, verify, deadline_ns, why, sizeof why))
        return fail(resp, HTTP_CLIENT_TLS, "%s", why);
    resp->connected = true;
    return true;
}

static bool send_request(struct conn *c, const struct http_client_request *req,
                         const struct http_url *url, uint64_t deadline_ns,
                         struct http_client_response *resp)
{
    size_t head_len = 0;
    char *head = request_head(req, url, &head_len);
    if (!head)
        return fail(resp, HTTP_CLIENT_IO, "%s", "out of memory");
    bool timed_out = false;
    bool ok =
        conn_write_all(c, head, head_len, deadline_ns, &timed_out) &&
        (!req->body_len || conn_write_all(c, req->body, req->body_len, deadline_ns, &timed_out));
    free(head);
    if (ok)
        return true;
    if (timed_out)
        return fail(resp, HTTP_CLIENT_TIMEOUT, "%s", "the request could not be sent in time");
    return fail(resp, HTTP_CLIENT_IO, "sending the request failed: %s", strerror(errno));
}

static bool receive_response(struct conn *c, const struct http_client_request *req,
                             uint64_t deadline_ns, struct http_client_response *resp)
{
    size_t cap = req->max_response, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return fail(resp, HTTP_CLIENT_IO, "%s", "out of memory");
    enum http_parse_state state = HTTP_PARSE_MORE;
    char why[200] = "";
    ssize_t n = 1;
    while (state == HTTP_PARSE_MORE && len < cap + 1 && n != 0) {
        /* Read one byte past the cap, to tell "exactly full" from "too large". */
        n = conn_read(c, buf + len, cap + 1 - len, deadline_ns);
        if (n < 0)
            break;
        len += (size_t)n;
        if (len > cap)
            break;
        state = http_response_parse(buf, len, n == 0, &resp->status, &resp->body, &resp->body_len,
                                    why, sizeof why);
    }
    resp->raw = buf;
    resp->raw_len = len > cap ? cap : len;
    buf[resp->raw_len] = '\0';
    if (state == HTTP_PARSE_DONE)
        return true;
    if (state == HTTP_PARSE_BAD)
        return fail(resp, HTTP_CLIENT_BAD_RESPONSE, "%s", why);
    if (len > cap) {
        snprintf(resp->error, sizeof resp->error, "the answer is larger than %zu bytes", cap);
        resp->result = HTTP_CLIENT_TOO_LARGE;
        return false;
    }
    if (n == -2)
        return fail(resp, HTTP_CLIENT_TIMEOUT, "%s",
                    len ? "the answer did not complete before the timeout"
                        : "no answer before the timeout");
    return fail(resp, HTTP_CLIENT_IO, "%s", "the connection failed while reading the answer");
}

void http_client_call(const struct http_client_request *req, struct http_client_response *resp)
{
    memset(resp, 0, sizeof *resp);
    uint64_t start = clock_mono_ns();
    uint64_t deadline_ns =
        start + (uint64_t)(req->timeout_ms > 0 ? req->timeout_ms : 1) * NS_PER_MS;
    struct http_url url;
    struct conn c = {-1, NULL, NULL};
    char why[200];
    if (!http_url_parse(req->url, &url, why, sizeof why))
        fail(resp, HTTP_CLIENT_BAD_URL, "%s", why);
    else if (open_conn(&c, &url, req->tls_verify, deadline_ns, resp) &&
             send_request(&c, req, &url, deadline_ns, resp) &&
             receive_response(&c, req, deadline_ns, resp))
        resp->result = HTTP_CLIENT_OK;
    conn_close(&c);
    resp->elapsed_ms = (int64_t)((clock_mono_ns() - start) / NS_PER_MS);
}

void http_client_response_free(struct http_client_response *resp)
{
    free(resp->body);
    free(resp->raw);
    resp->body = NULL;
    resp->raw = NULL;
}
