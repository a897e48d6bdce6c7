/*
 * http_client.h - one outbound HTTP(S) exchange, bounded in time and size.
 *
 * The mock calls its users' servers in one place: the API Management tester
 * calls a customer's token endpoints, as Sobot does. Besides httpd.c this is
 * the only module that does network I/O; callers hand it a plain request and
 * get a plain response back.
 *
 * The call blocks the calling thread until the answer is complete or the
 * deadline passes, whichever comes first (resolution, connection, TLS
 * handshake, sending and receiving all share the one deadline). Callers on a
 * worker thread keep the deadline short: the worker serves nothing else
 * meanwhile.
 */
#ifndef SOBOT_HTTP_CLIENT_H
#define SOBOT_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parsed http:// or https:// URL. */
struct http_url {
    bool tls;
    char host[256];    /* without brackets for IPv6 literals */
    char port[8];      /* "80" / "443" unless given */
    char target[2048]; /* path and query as sent in the request line, "/" at least */
};

/* Parses url; false with a reason in err for anything but a plain
 * http(s)://host[:port][/path][?query] (no credentials, no spaces). */
bool http_url_parse(const char *url, struct http_url *out, char *err, size_t err_size);

enum http_client_result {
    HTTP_CLIENT_OK,           /* a complete HTTP response arrived (any status) */
    HTTP_CLIENT_BAD_URL,      /* the URL could not be used */
    HTTP_CLIENT_RESOLVE,      /* the host name did not resolve */
    HTTP_CLIENT_CONNECT,      /* no TCP connection (refused, unreachable, timed out) */
    HTTP_CLIENT_TLS,          /* the TLS handshake failed (e.g. untrusted certificate) */
    HTTP_CLIENT_TIMEOUT,      /* connected, but no complete answer before the deadline */
    HTTP_CLIENT_IO,           /* the connection failed while sending or receiving */
    HTTP_CLIENT_TOO_LARGE,    /* the answer exceeded max_response bytes */
    HTTP_CLIENT_BAD_RESPONSE, /* what came back is not HTTP */
};

struct http_client_request {
    const char *method; /* "GET" or "POST" */
    const char *url;
    const char *content_type; /* NULL: no body headers */
    const char *body;
    size_t body_len;
    int timeout_ms;      /* the whole exchange */
    size_t max_response; /* bytes of status line, headers and body together */
    bool tls_verify;     /* check the server's certificate and name */
    const char *user_agent;
};

struct http_client_response {
    enum http_client_result result;
    bool connected; /* a connection (and handshake) was established */
    int status;     /* HTTP status when result is OK */
    char *body;     /* malloc'd, NUL-terminated, dechunked; NULL without an answer */
    size_t body_len;
    char *raw; /* what arrived, even when incomplete (malloc'd, NUL-terminated) */
    size_t raw_len;
    int64_t elapsed_ms;
    char error[256]; /* what went wrong, "" when result is OK */
};

/* Performs one exchange; always fills resp (free it with
 * http_client_response_free). */
void http_client_call(const struct http_client_request *req, struct http_client_response *resp);
void http_client_response_free(struct http_client_response *resp);

/* The response parser, exposed for unit tests. Given the bytes received so
 * far and whether the peer has closed, says whether the response is complete
 * (then *status, *body, *body_len are set; *body is malloc'd), needs more, or
 * is broken (reason in err). Understands Content-Length, chunked transfer
 * coding and read-to-close bodies. */
enum http_parse_state { HTTP_PARSE_MORE, HTTP_PARSE_DONE, HTTP_PARSE_BAD };
enum http_parse_state http_response_parse(const char *data, size_t len, bool eof, int *status,
                                          char **body, size_t *body_len, char *err,
                                          size_t err_size);

#endif
