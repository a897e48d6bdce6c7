/*
 * api/sso_pages.h - the HTML pages a browser sees after following an SSO
 * login link: the console stand-in, the error pages, the login page.
 *
 * Pages are for people and for browser tests: every value shown carries an
 * id (agent-email, workbench, status, menu-setting, logout) so a test can
 * find it. Everything from a request or the store is HTML-escaped here.
 */
#ifndef SOBOT_SSO_PAGES_H
#define SOBOT_SSO_PAGES_H

#include "reply.h"
#include "store/store.h"

/* Words for the option values, also used by /__admin/sso. */
const char *sso_type_label(int type);
const char *sso_status_label(int status);
const char *sso_menu_label(int enable_menu);

/* 200: who is logged in, which workbench, status, menu, and a logout link. */
void sso_page_console(struct reply *rp, const struct store_sso_link *link,
                      const struct store_agent *agent);

/* An error page with its HTTP status: a title ("Link expired") and one
 * sentence saying why. */
void sso_page_error(struct reply *rp, int status, const char *title, const char *detail);

/* 200: the mock's stand-in for the vendor's login page (where logout lands
 * when the client gave no logout_url). */
void sso_page_login(struct reply *rp);

#endif
