/*
 * test_store_tenantpro.c - the tenantpro store's rules where a request
 * cannot reach them one at a time: what holds when another worker changed
 * the tenant between a handler's read and its write.
 *
 * Runs against the default fixtures in memory: tenant customerCode "7" of
 * platform 10004 has maxCount 5 and two agents.
 */
#include "check.h"
#include "config.h"
#include "fixtures.h"
#include "log.h"
#include "store/store.h"

#define UNION "10004"
#define CODE "7"

static struct store_agent new_agent(const struct store_tenant *tenant, const char *email)
{
    struct store_agent a = {0};
    snprintf(a.company_id, sizeof a.company_id, "%s", tenant->company_id);
    snprintf(a.agent_id, sizeof a.agent_id, "id-%s", email);
    snprintf(a.email, sizeof a.email, "%s", email);
    snprintf(a.role_id, sizeof a.role_id, "1111");
    a.status = 1;
    return a;
}

static void set_max_count(const struct store_tenant *tenant, int max_count)
{
    struct store_tenant t = *tenant;
    enum store_tp_refusal why;
    t.max_count = max_count;
    CHECK(store_tenant_update(&t, 0, &why) == STORE_OK);
}

/* addServiceInfoConfim read the tenant at maxCount 5; updateTenant.json then
 * lowered it to the two agents it has. The agent must not make a third. */
static void seats_are_counted_against_the_stored_max_count(void)
{
    struct store_tenant tenant;
    enum store_tp_refusal why;
    CHECK(store_tenant_by_code(UNION, CODE, &tenant) == STORE_OK);
    CHECK(tenant.max_count == 5 && tenant.agent_count == 2);
    set_max_count(&tenant, 2);
    struct store_agent a = new_agent(&tenant, "late@seats.example");
    CHECK(store_tenant_agent_add(&a, &why) == STORE_CONFLICT);
    CHECK(why == STORE_TP_NO_SEATS);
    struct store_tenant after;
    CHECK(store_tenant_by_code(UNION, CODE, &after) == STORE_OK);
    CHECK(after.agent_count == 2);
    /* Raised again, the seat is there. */
    set_max_count(&tenant, 3);
    CHECK(store_tenant_agent_add(&a, &why) == STORE_OK);
    CHECK(why == STORE_TP_NONE);
}

/* A tenant deleted or never there: no agent lands without one. */
static void agent_of_no_tenant_is_refused(void)
{
    struct store_tenant ghost = {0};
    enum store_tp_refusal why;
    snprintf(ghost.company_id, sizeof ghost.company_id, "no-such-company");
    struct store_agent a = new_agent(&ghost, "ghost@seats.example");
    CHECK(store_tenant_agent_add(&a, &why) == STORE_CONFLICT);
    CHECK(why == STORE_TP_TENANT_MISSING);
}

int main(void)
{
    char *argv[] = {"test", "--quiet"};
    char err[256];
    CHECK(config_load(2, argv) == CONFIG_OK);
    log_configure(false, LOG_ERROR + 1);
    CHECK(store_open(NULL));
    CHECK(fixtures_load(NULL, err, sizeof err));
    seats_are_counted_against_the_stored_max_count();
    agent_of_no_tenant_is_refused();
    store_close();
    fixtures_free();
    config_free();
    return check_summary();
}
