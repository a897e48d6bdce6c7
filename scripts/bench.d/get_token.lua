-- wrk script: a valid, signed get_token for the default fixtures.
-- appid "1", app_key "2": sign = md5("1" .. "1569397773" .. "2"). The mock
-- accepts any create_time, so one fixed request serves the whole run.
wrk.method = "GET"
wrk.path = "/api/get_token?appid=1&create_time=1569397773&sign=258eec3118705112b2c53dc8043d4d34"
