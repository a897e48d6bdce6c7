-- wrk script: get_token and the token-checked login_url, alternating.
-- Every get_token replaces the app's token, so each thread picks the newest
-- token out of the get_token replies it sees. With several connections in
-- flight some login_url calls still carry a token replaced a moment before;
-- those get the vendor's 900002 (with HTTP 200), which is a normal answer
-- here. done() reports how many replies were ret_code 000000.

local get_path = "/api/get_token?appid=1&create_time=1569397773&sign=258eec3118705112b2c53dc8043d4d34"
local login_path = "/api/public/sso/5/login_url"
local login_body = '{"agent_email":"xiaoming@sobot.io","type":"1","status":1}'

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

-- Per-thread state (globals so that done() can read them with thread:get).
token = os.getenv("BENCH_TOKEN") or ""
n = 0
ok_replies = 0
error_replies = 0

function request()
    n = n + 1
    if n % 2 == 0 then
        return wrk.format("GET", get_path)
    end
    return wrk.format("POST", login_path,
        { ["Content-Type"] = "application/json", ["token"] = token }, login_body)
end

function response(status, headers, body)
    if body == nil then
        return
    end
    local fresh = body:match('"token":"(%x+)"')
    if fresh ~= nil then
        token = fresh
    end
    if body:find('"ret_code":"000000"', 1, true) then
        ok_replies = ok_replies + 1
    else
        error_replies = error_replies + 1
    end
end

function done(summary, latency, requests)
    local ok, bad = 0, 0
    for _, t in ipairs(threads) do
        ok = ok + (t:get("ok_replies") or 0)
        bad = bad + (t:get("error_replies") or 0)
    end
    io.write(string.format("Vendor replies: ok %d, error %d\n", ok, bad))
end
