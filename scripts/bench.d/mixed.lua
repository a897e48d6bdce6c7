-- wrk script: get_token, the token-checked customer query and login_url in
-- turn, so that the load fills the journal, replaces tokens and stores
-- login links. get_token asks for the second fixture app's token (Sunrise
-- Retail, appid 7f3c...): every get_token replaces its app's token, and the
-- token-checked calls use app "1"'s token from BENCH_TOKEN, which therefore
-- stays valid, so every call does its full work (a replaced token would get
-- a cheap 900002 instead). done() reports how many replies were ret_code
-- 000000.

-- sign = md5("7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b" .. "1569397773" .. "Qm9sdC1Nb2NrLUtleS0yMDI2")
local get_path = "/api/get_token?appid=7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b&create_time=1569397773"
    .. "&sign=66f808129b8dd0db3dbf124150cb7e94"
local login_path = "/api/public/sso/5/login_url"
local login_body = '{"agent_email":"xiaoming@sobot.io","type":"1","status":1}'
local query_path = "/api/crm/5/customer/query?tel=13912345678"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

local token = os.getenv("BENCH_TOKEN") or ""

-- Per-thread counters (globals so that done() can read them with thread:get).
n = 0
ok_replies = 0
error_replies = 0

function request()
    n = n + 1
    if n % 3 == 0 then
        return wrk.format("GET", get_path)
    end
    if n % 3 == 1 then
        return wrk.format("GET", query_path, { ["token"] = token })
    end
    return wrk.format("POST", login_path,
        { ["Content-Type"] = "application/json", ["token"] = token }, login_body)
end

function response(status, headers, body)
    if body == nil then
        return
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
