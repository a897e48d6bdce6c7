-- wrk script: the token-checked SSO login_url call.
-- The token comes from the environment (BENCH_TOKEN), fetched once before
-- the run; nothing else asks for a token during the run, so it stays valid.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
    error("BENCH_TOKEN is not set")
end

wrk.method = "POST"
wrk.path = "/api/public/sso/5/login_url"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["token"] = token
wrk.body = '{"agent_email":"xiaoming@sobot.io","type":"1","status":1}'
