"""Shared values and signers for the tenantpro (e-commerce platform) tests.

The example platform 10004 and its tenants come from fixtures/default.json;
platform 20001 from fixtures/large.json (scripts/gen-fixtures).
"""
import os
import time

from harness import SOURCE_DIR, md5

UNION = "10004"
UNION_KEY = "5f2b8c0e9a7d4e61b3c4a1d2e8f06b97"
ADMIN = "admin@platform10004.example"
SEAT_UNION = "10005"
SEAT_KEY = "a91c3e5f7b9d4f1a8c2e4a6c8e0b2d4f"
LARGE_UNION = "20001"
LARGE_KEY = "large-20001-key"
LARGE_ADMIN = "admin@platform20001.example"
LARGE_FIXTURES = os.path.join(SOURCE_DIR, "fixtures", "large.json")

# The vendor page's example tenants (getTenantList), in its order.
EXAMPLE_TENANTS = [
    ("3b9577c3ddaa49bda857a0ab8593b7ba", "青樱格格02", "8748cd7faeb1401ab3d97cf45013afc4", True),
    ("42fb9905aa7f4eff9639d732c9c3aa85", "还珠格格03", "1deb109104334977ae654d3a9096d942", False),
    ("bc0af7e208164b6a8aa83f7722cb22ed", "青樱格格01", "1d7fe2633d944e459646f4eb0973d0ba", True),
]

TENANT_KEYS = ["companyId", "companyName", "email", "contactTel", "contactName", "serviceNum",
               "maxServiceCount", "createTime", "endTime", "tenantStatus", "appKey", "services",
               "customerCode", "customfieldsCode", "customfieldsName", "provinceId",
               "provinceName", "cityId", "cityName", "areaId", "areaName"]


def now_ms():
    return str(int(time.time() * 1000))


def signed(fields, email, union=UNION, key=UNION_KEY, ts=None):
    """Adds unionCode, ts and token = md5(unionCode+ts+email+unionKey)."""
    ts = ts or now_ms()
    out = {"unionCode": union, "ts": ts, "email": email,
           "token": md5(union, ts, email, key)}
    out.update(fields)
    return out


def list_request(union=UNION, key=UNION_KEY, admin=ADMIN, **fields):
    body = {"openStatus": "-1"}
    body.update({k: str(v) for k, v in fields.items()})
    return signed(body, admin, union, key)


def report_request(fields=None, union=UNION, key=UNION_KEY, union_field="unionCode", ts=None):
    """Report calls: sign = md5(unionCode+ts+unionKey), the default --report-sign."""
    ts = ts or now_ms()
    out = {union_field: union, "ts": ts, "sign": md5(union, ts, key)}
    out.update(fields or {})
    return out


def expected_id(kind, a, b, seed=1):
    """The mock's deterministic ids: md5("<seed>:<kind>:<a>:<b>")."""
    return md5("%d:%s:%s:%s" % (seed, kind, a, b))
