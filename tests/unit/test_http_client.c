/* http_client.c: URL parsing and the response parser, without a socket. */
#include <stdlib.h>

#include "check.h"
#include "http_client.h"

static void urls(void)
{
    struct http_url u;
    char err[160];
    CHECK(http_url_parse("http://127.0.0.1:8080/oauth/token?x=1#frag", &u, err, sizeof err));
    CHECK(!u.tls);
    CHECK_STR(u.host, "127.0.0.1");
    CHECK_STR(u.port, "8080");
    CHECK_STR(u.target, "/oauth/token?x=1");
    CHECK(http_url_parse("HTTPS://Example.com", &u, err, sizeof err));
    CHECK(u.tls);
    CHECK_STR(u.host, "Example.com");
    CHECK_STR(u.port, "443");
    CHECK_STR(u.target, "/");
    CHECK(http_url_parse("http://h?a=b", &u, err, sizeof err));
    CHECK_STR(u.target, "/?a=b");
    CHECK(http_url_parse("http://[::1]:9000/t", &u, err, sizeof err));
    CHECK_STR(u.host, "::1");
    CHECK_STR(u.port, "9000");
    CHECK(http_url_parse("http://[::1]/t", &u, err, sizeof err));
    CHECK_STR(u.port, "80");
}

static void bad_urls(void)
{
    struct http_url u;
    char err[160];
    const char *bad[] = {
        "ftp://h/",     "h:80/x",          "http://",        "http://:80/",
        "http://h:0/",  "http://h:65536/", "http://h:8x/",   "http://u:p@h/",
        "http://h/a b", "http://[::1/",    "http://[::1]x/", "http://h:/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(!http_url_parse(bad[i], &u, err, sizeof err));
        CHECK(err[0] != '\0');
    }
    CHECK(!http_url_parse(NULL, &u, err, sizeof err));
}

static enum http_parse_state parse(const char *text, bool eof, int *status, char **body,
                                   size_t *len)
{
    char err[160];
    return http_response_parse(text, strlen(text), eof, status, body, len, err, sizeof err);
}

static void content_length(void)
{
    int status = 0;
    char *body;
    size_t len;
    const char *full = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-type: x\r\n\r\nhello";
    CHECK(parse(full, false, &status, &body, &len) == HTTP_PARSE_DONE);
    CHECK(status == 200);
    CHECK_STR(body, "hello");
    CHECK(len == 5);
    free(body);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", false, &status, &body, &len) ==
          HTTP_PARSE_MORE);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", true, &status, &body, &len) ==
          HTTP_PARSE_BAD);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello", false, &status, &body,
                &len) == HTTP_PARSE_BAD);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Le", false, &status, &body, &len) == HTTP_PARSE_MORE);
}

static void read_to_close(void)
{
    int status = 0;
    char *body;
    size_t len;
    const char *text = "HTTP/1.0 500 Oops\r\nServer: x\r\n\r\n{\"a\":1}";
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_MORE);
    CHECK(parse(text, true, &status, &body, &len) == HTTP_PARSE_DONE);
    CHECK(status == 500);
    CHECK_STR(body, "{\"a\":1}");
    free(body);
    CHECK(parse("HTTP/1.1 204 No Content\r\n\r\n", false, &status, &body, &len) == HTTP_PARSE_DONE);
    CHECK(len == 0);
    free(body);
}

static void chunked(void)
{
    int status = 0;
    char *body;
    size_t len;
    const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    char text[256];
    snprintf(text, sizeof text, "%s5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_DONE);
    CHECK_STR(body, "hello, world");
    CHECK(len == 12);
    free(body);
    snprintf(text, sizeof text, "%s5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_DONE);
    CHECK_STR(body, "hello");
    free(body);
    snprintf(text, sizeof text, "%s5\r\nhel", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_MORE);
    CHECK(parse(text, true, &status, &body, &len) == HTTP_PARSE_BAD);
    snprintf(text, sizeof text, "%s5\r\nhello\r\n0\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_MORE);
    snprintf(text, sizeof text, "%szz\r\nhello\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_BAD);
    /* Sizes are bare hex: no sign, no "0x", no leading blanks. */
    static const char *const bad_sizes[] = {"0x5", "+5", "-1", " 5", "5 x"};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        snprintf(text, sizeof text, "%s%s\r\nhello\r\n0\r\n\r\n", head, bad_sizes[i]);
        CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_BAD);
    }
    snprintf(text, sizeof text, "%s5 ;ext\r\nhello\r\n0\r\n\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_DONE);
    free(body);
    /* A chunk longer than its size line says is a framing error, not "hello". */
    snprintf(text, sizeof text, "%s5\r\nhelloXX\r\n0\r\n\r\n", head);
    CHECK(parse(text, false, &status, &body, &len) == HTTP_PARSE_BAD);
}

/* The bytes received are not NUL-terminated: a size line of blank lines
 * then digits at the very end must not be read past. */
static void chunked_reads_only_what_arrived(void)
{
    static const char text[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\n\n5";
    size_t text_len = sizeof text - 1;
    char *exact = malloc(text_len); /* no room for a NUL: ASan sees any overread */
    memcpy(exact, text, text_len);
    int status = 0;
    char *body = NULL, err[160];
    size_t len;
    CHECK(http_response_parse(exact, text_len, false, &status, &body, &len, err, sizeof err) ==
          HTTP_PARSE_BAD);
    free(exact);
}

static void not_http(void)
{
    int status = 0;
    char *body;
    size_t len;
    CHECK(parse("SSH-2.0-OpenSSH_9.2\r\n", false, &status, &body, &len) == HTTP_PARSE_BAD);
    CHECK(parse("<html>hello</html>\r\n\r\n", false, &status, &body, &len) == HTTP_PARSE_BAD);
    CHECK(parse("", true, &status, &body, &len) == HTTP_PARSE_BAD);
    CHECK(parse("HTTP/1.1 2x0 OK\r\n\r\n", true, &status, &body, &len) == HTTP_PARSE_BAD);
}

int main(void)
{
    urls();
    bad_urls();
    content_length();
    read_to_close();
    chunked();
    chunked_reads_only_what_arrived();
    not_http();
    return check_summary();
}
