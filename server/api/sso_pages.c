/*
 * api/sso_pages.c - HTML for the SSO pages.
 *
 * Pages are built into a growing buffer with two writers: html_raw for the
 * page's own markup and html_text for any value that came from outside
 * (emails, names, URLs), which is always escaped. This module must never
 * read the store or the request: the handlers hand it what to show.
 */
#include "api/sso_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#define HTML_TYPE "text/html;charset=UTF-8"

struct html {
    char *buf;
    size_t len, cap;
    bool failed; /* out of memory: the page is replaced by a fixed one */
};

static void html_raw(struct html *h, const char *text)
{
    size_t n = strlen(text);
    if (h->failed)
        return;
    if (h->len + n + 1 > h->cap) {
        size_t cap = (h->cap ? h->cap * 2 : 2048) + n;
        char *grown = realloc(h->buf, cap);
        if (!grown) {
            h->failed = true;
            return;
        }
        h->buf = grown;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, text, n + 1);
    h->len += n;
}

static void html_text(struct html *h, const char *text)
{
    char one[2] = {0, 0};
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            html_raw(h, "&amp;");
            break;
        case '<':
            html_raw(h, "&lt;");
            break;
        case '>':
            html_raw(h, "&gt;");
            break;
        case '"':
            html_raw(h, "&quot;");
            break;
        case '\'':
            html_raw(h, "&#39;");
            break;
        default:
            one[0] = *p;
            html_raw(h, one);
        }
    }
}

static void html_number(struct html *h, long long n)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", n);
    html_raw(h, text);
}

static void html_head(struct html *h, const char *title)
{
    html_raw(h, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    html_text(h, title);
    html_raw(h, "</title><style>body{font-family:sans-serif;margin:2em}"
                "dt{font-weight:bold}nav{background:#eef;padding:.5em}</style></head>\n<body>\n");
}

/* Hands the page to the reply, or a fixed page when memory ran out. */
static void html_send(struct html *h, struct reply *rp, int status)
{
    html_raw(h, "</body></html>\n");
    if (h->failed) {
        static const char fallback[] = "<!doctype html><title>Error</title>out of memory\n";
        reply_text(rp, 500, HTML_TYPE, fallback, sizeof fallback - 1);
    } else {
        reply_text(rp, status, HTML_TYPE, h->buf, h->len);
    }
    free(h->buf);
}

const char *sso_type_label(int type)
{
    switch (type) {
    case 0:
        return "Sobot admin backend (type not sent)";
    case 1:
        return "new console";
    case 2:
        return "livechat workbench";
    case 3:
        return "call workbench";
    case 4:
        return "new Sobot admin backend";
    case 5:
        return "agent workbench";
    }
    return "unknown";
}

const char *sso_status_label(int status)
{
    switch (status) {
    case 0:
        return "not set";
    case 1:
        return "online";
    case 2:
        return "busy";
    }
    return "unknown";
}

const char *sso_menu_label(int enable_menu)
{
    return enable_menu == 2 ? "hidden" : "shown";
}

/* One <dt>/<dd> pair whose <dd> carries an id for tests. */
static void field(struct html *h, const char *label, const char *id, const char *value)
{
    html_raw(h, "<dt>");
    html_text(h, label);
    html_raw(h, "</dt><dd id=\"");
    html_raw(h, id);
    html_raw(h, "\">");
    html_text(h, value);
    html_raw(h, "</dd>\n");
}

/* The left product column the vendor shows unless enable_menu is 2. */
static void menu(struct html *h, int enable_menu)
{
    if (enable_menu == 2)
        return;
    html_raw(h, "<nav id=\"menu\">Online service · Call center · Tickets · Robot · "
                "Settings</nav>\n");
}

static void option_with_code(struct html *h, const char *label, const char *id, int code,
                             const char *words)
{
    char text[128];
    if (code)
        snprintf(text, sizeof text, "%d (%s)", code, words);
    else
        snprintf(text, sizeof text, "%s", words);
    field(h, label, id, text);
}

void sso_page_console(struct reply *rp, const struct store_sso_link *link,
                      const struct store_agent *agent)
{
    struct html h = {0};
    char expires[20];
    clock_format_datetime(link->expires_s, expires);
    html_head(&h, "Sobot console (sobot-mock)");
    menu(&h, link->enable_menu);
    html_raw(&h, "<h1>Sobot console</h1>\n<p id=\"logged-in\">Logged in as ");
    html_text(&h, agent->nick[0] ? agent->nick : agent->email);
    html_raw(&h, "</p>\n<dl>\n");
    field(&h, "Agent", "agent-email", agent->email);
    field(&h, "Name", "agent-name", agent->name);
    field(&h, "App", "appid", link->appid);
    option_with_code(&h, "Workbench (type)", "workbench", link->type, sso_type_label(link->type));
    option_with_code(&h, "Status", "status", link->status, sso_status_label(link->status));
    option_with_code(&h, "Menu (enable_menu)", "menu-setting", link->enable_menu,
                     sso_menu_label(link->enable_menu));
    field(&h, "After logout", "logout-target",
          link->logout_url[0] ? link->logout_url : "/console/login");
    field(&h, "Link valid until", "link-expires", expires);
    html_raw(&h, "</dl>\n<p><a id=\"logout\" href=\"/console/openAPI/logout\">Log out</a></p>\n");
    html_send(&h, rp, 200);
}

void sso_page_error(struct reply *rp, int status, const char *title, const char *detail)
{
    struct html h = {0};
    html_head(&h, title);
    html_raw(&h, "<h1 id=\"error\">");
    html_text(&h, title);
    html_raw(&h, "</h1>\n<p id=\"detail\">");
    html_text(&h, detail);
    html_raw(&h, "</p>\n<p>HTTP ");
    html_number(&h, status);
    html_raw(&h, ". Ask the application for a new login link.</p>\n");
    html_send(&h, rp, status);
}

void sso_page_login(struct reply *rp)
{
    struct html h = {0};
    html_head(&h, "Sobot login (sobot-mock)");
    html_raw(&h, "<h1 id=\"login\">Sobot login</h1>\n<p>You are logged out. This is "
                 "sobot-mock's stand-in for the vendor's login page: log in again through a "
                 "new SSO link (POST /api/public/sso/5/login_url).</p>\n");
    html_send(&h, rp, 200);
}
