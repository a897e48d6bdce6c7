-- wrk script: the token-checked customer query, the cheapest representative
-- business call (token header check + one indexed SELECT).
-- The token comes from the environment (BENCH_TOKEN), fetched once before
-- the run; nothing else asks for a token during the run, so it stays valid.
-- The tel is Zhang Wei's, a customer of app "1"'s company in
-- fixtures/default.json.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
    error("BENCH_TOKEN is not set")
end

wrk.method = "GET"
wrk.path = "/api/crm/5/customer/query?tel=13912345678"
wrk.headers["token"] = token
