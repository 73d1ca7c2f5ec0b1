#!/usr/bin/env bash
# The whole hub on one machine: the Ray Serve model tier, N Streamlit replicas, and nginx in front
# with sticky sessions and websockets (docs/scaling.md).
#
#   scripts/stack.sh start [--replicas N] [--tier-replicas M] [--port P] [--base-port B]
#                          [--embedded] [--external-tier]
#   scripts/stack.sh status
#   scripts/stack.sh stop
#
# --replicas N        Streamlit processes (default 2), on 127.0.0.1:B+1 .. B+N (B default 8600)
# --tier-replicas M   replicas of every tier deployment (default: deploy/serve.toml's)
# --port P            the proxy's port (default 8080; ADDRESS=0.0.0.0 to serve a room's network)
# --embedded          no tier: each replica runs its own models (DL_HUB_BACKEND=embedded)
# --external-tier     use a tier that is already running (DL_HUB_SERVE_CONFIG / DL_HUB_TIER_URL)
# State (pids, logs, the filled-in nginx.conf, the tier token) lives in $STACK_DIR
# (default ${TMPDIR:-/tmp}/dl_hub_stack). `start` returns once everything answers and prints
# "stack ready: URL"; `stop` stops the proxy, the replicas, then the tier, and waits for each.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE=${STACK_DIR:-${TMPDIR:-/tmp}/dl_hub_stack}
PY=${PYTHON:-$ROOT/.venv/bin/python}
NGINX=${NGINX:-/usr/sbin/nginx}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# few malloc arenas: the server's memory would otherwise creep up with each session's thread
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

say() { printf '==> %s\n' "$*" >&2; }
STARTING=0
die() {
  printf 'stack: %s\n' "$*" >&2
  if [ "$STARTING" = 1 ]; then STARTING=0; say "start failed: stopping what was started"; cmd_stop >&2; fi
  exit 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() {  # URL SECONDS [PIDFILE]: until URL answers 200
  local url=$1 deadline=$((SECONDS + $2)) pidfile=${3:-}
  until curl -fsS -o /dev/null --max-time 3 "$url" 2>/dev/null; do
    [ -n "$pidfile" ] && ! alive "$pidfile" && die "the process of $pidfile exited; see its log in $STATE"
    [ "$SECONDS" -ge "$deadline" ] && die "$url did not answer within $2 s"
    sleep 0.5
  done
}

stop_pid() {  # PIDFILE SECONDS: TERM, wait, then KILL
  local pidfile=$1 grace=$2 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && { say "$(basename "$pidfile" .pid) did not stop in ${grace}s: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  [ -d "$STATE" ] || { echo "stack: nothing to stop"; return 0; }
  stop_pid "$STATE/nginx.pid" 15
  for pidfile in "$STATE"/streamlit-*.pid; do [ -e "$pidfile" ] && stop_pid "$pidfile" 20; done
  stop_pid "$STATE/tier.pid" 90
  echo "stack stopped"
}

cmd_status() {
  local any=0
  for pidfile in "$STATE"/*.pid; do
    [ -e "$pidfile" ] || continue
    any=1
    if alive "$pidfile"; then echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"; else echo "$(basename "$pidfile" .pid): dead"; fi
  done
  [ "$any" = 1 ] || echo "stack: not running"
}

cmd_start() {
  local replicas=2 tier_replicas="" port=8080 base=8600 backend=ray tier=local
  while [ $# -gt 0 ]; do
    case "$1" in
      --replicas) replicas=$2; shift 2 ;;
      --tier-replicas) tier_replicas=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --base-port) base=$2; shift 2 ;;
      --embedded) backend=embedded; tier=none; shift ;;
      --external-tier) tier=external; shift ;;
      *) die "unknown option $1 (see the top of scripts/stack.sh)" ;;
    esac
  done
  [ -x "$NGINX" ] || die "nginx is not installed (scripts/setup.sh installs it)"
  alive "$STATE/nginx.pid" && die "a stack is already running from $STATE (scripts/stack.sh stop)"
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  STARTING=1
  trap 'die "a step of the start failed (line $LINENO)"' ERR

  if [ "$tier" = local ]; then
    [ -n "${DL_HUB_TIER_TOKEN:-}" ] || DL_HUB_TIER_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
    export DL_HUB_TIER_TOKEN
    say "starting the model tier (log: $STATE/tier.log)"
    local tier_args=()
    [ -n "${DL_HUB_SERVE_CONFIG:-}" ] && tier_args+=(--config "$DL_HUB_SERVE_CONFIG")
    [ -n "$tier_replicas" ] && tier_args+=(--replicas "$tier_replicas")
    "$PY" -m dl_apps serve "${tier_args[@]}" >"$STATE/tier.log" 2>&1 &
    echo $! >"$STATE/tier.pid"
    local deadline=$((SECONDS + ${STACK_TIER_TIMEOUT:-600}))
    until grep -q "^ready:" "$STATE/tier.log" 2>/dev/null; do
      alive "$STATE/tier.pid" || die "the tier exited; see $STATE/tier.log"
      [ "$SECONDS" -ge "$deadline" ] && die "the tier was not ready in time; see $STATE/tier.log"
      sleep 1
    done
    grep "^ready:" "$STATE/tier.log" | head -1 >&2
  fi

  local secret
  secret=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')  # one XSRF/cookie secret for every replica
  local upstreams=""
  for i in $(seq 1 "$replicas"); do
    local p=$((base + i))
    say "starting Streamlit replica $i on 127.0.0.1:$p (backend: $backend)"
    DL_HUB_BACKEND=$backend STREAMLIT_SERVER_COOKIE_SECRET=$secret "$PY" -m streamlit run "$ROOT/app.py" \
      --server.headless true --server.port "$p" --server.address 127.0.0.1 --browser.gatherUsageStats false \
      >"$STATE/streamlit-$i.log" 2>&1 &
    echo $! >"$STATE/streamlit-$i.pid"
    upstreams+="        server 127.0.0.1:$p max_fails=3 fail_timeout=10s;"$'\n'
  done
  for i in $(seq 1 "$replicas"); do wait_http "http://127.0.0.1:$((base + i))/_stcore/health" 180 "$STATE/streamlit-$i.pid"; done

  local listen="${ADDRESS:-127.0.0.1}:$port"
  "$PY" - "$ROOT/deploy/nginx.conf" "$STATE/nginx.conf" "$STATE" "$listen" "$upstreams" <<'EOF'
import sys
template, out, state, listen, upstreams = sys.argv[1:]
text = open(template).read().replace("@STATE@", state).replace("@LISTEN@", listen).replace("@UPSTREAMS@", upstreams.rstrip("\n"))
open(out, "w").write(text)
EOF
  "$NGINX" -t -q -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf"
  say "starting nginx on $listen"
  "$NGINX" -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf" -g "daemon off;" >"$STATE/nginx.log" 2>&1 &
  echo $! >"$STATE/nginx.pid"
  wait_http "http://127.0.0.1:$port/_stcore/health" 30 "$STATE/nginx.pid"
  trap - ERR
  STARTING=0
  echo "stack ready: http://127.0.0.1:$port ($replicas Streamlit replicas, backend $backend)"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: scripts/stack.sh start|status|stop [options]" >&2; exit 2 ;;
esac
