# sobot-mock container image.
#
#   docker build -t sobot-mock .
#   docker run --rm -p 8080:8080 -p 8443:8443 sobot-mock [SOBOT-MOCK OPTIONS...]
#
# Options go after the image name or in SOBOT_MOCK_* variables (docker run -e).
# The default fixtures are built into the binary; the fixture files of the
# repository are in /usr/share/sobot-mock/fixtures, e.g.
#   docker run --rm -p 8080:8080 sobot-mock --fixtures /usr/share/sobot-mock/fixtures/default.json

# --- build -------------------------------------------------------------------
FROM debian:bookworm-slim AS build

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config \
        libevent-dev libcjson-dev libssl-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build --target sobot-mock -j "$(nproc)" \
    && strip build/sobot-mock

# --- runtime -----------------------------------------------------------------
FROM debian:bookworm-slim

# Only the shared libraries the binary links (evhttp lives in libevent_extra),
# CA certificates, and curl for the health check.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libevent-core-2.1-7 libevent-extra-2.1-7 libevent-openssl-2.1-7 \
        libcjson1 libssl3 libsqlite3-0 \
        ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/sobot-mock --create-home \
        --shell /usr/sbin/nologin sobot

COPY --from=build /src/build/sobot-mock /usr/local/bin/sobot-mock
COPY fixtures/ /usr/share/sobot-mock/fixtures/
# Fail the image build, not the first start, when a shared library is missing.
RUN ! ldd /usr/local/bin/sobot-mock | grep 'not found'

USER sobot
# A --db FILE given as a relative name lands here, owned by the mock's user.
WORKDIR /var/lib/sobot-mock

EXPOSE 8080 8443
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${SOBOT_MOCK_PORT:-8080}/__admin/health" >/dev/null || exit 1

# Listen on all interfaces of the container (the program's own default is
# 127.0.0.1). It exits 0 on SIGTERM, so docker stop is clean.
ENTRYPOINT ["/usr/local/bin/sobot-mock", "--listen", "0.0.0.0"]
