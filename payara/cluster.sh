#!/usr/bin/env bash
# Starts and stops N hub nodes on this machine: Payara Micro processes on loopback (payara/run.sh each), one
# Hazelcast cluster with TCP/IP discovery on 127.0.0.1 (its own name and ports, never multicast), one shared
# PostgreSQL database and one hub.secret-key.
#   ./mvnw -DskipTests package
#   HUB_ENV_FILE=hub.env payara/cluster.sh start 2    # node i: HTTP $HUB_PORT+i-1, Hazelcast $HUB_CLUSTER_PORT+i-1
#   payara/cluster.sh status
#   payara/cluster.sh stop                            # by the recorded PIDs: TERM, then KILL after 60 s
# Environment: HUB_ENV_FILE (KEY=value lines, e.g. a filled-in copy of server-config/postgresql.env; must point
# HUB_DB_URL at PostgreSQL: an embedded H2 file cannot be shared), HUB_CLUSTER_DIR (./hub-cluster: logs, PIDs,
# each node's data and temp directories, the generated secret key), HUB_PORT (8080), HUB_CLUSTER_PORT (5910),
# HUB_CLUSTER_NAME (hub-cluster), JAVA_OPTS (-Xmx1g), plus any HUB_* configuration key.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${HUB_CLUSTER_DIR:-./hub-cluster}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

usage() {
    echo "usage: $0 start N | stop | status" >&2
    exit 2
}

pids() {
    for f in "$dir"/node-*/pid; do
        [ -f "$f" ] && echo "$(basename "$(dirname "$f")") $(cat "$f")"
    done
    return 0
}

alive() {
    kill -0 "$1" 2>/dev/null
}

code() { # port path
    curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$1$2" || true
}

await_ready() { # node-name port pid
    local deadline=$((SECONDS + 300))
    while [ $SECONDS -lt $deadline ]; do
        alive "$3" || { echo "$1 exited; see $dir/$1/log" >&2; return 1; }
        if [ "$(code "$2" /login)" = 200 ] && [ "$(code "$2" /health/ready)" = 200 ]; then
            return 0
        fi
        sleep 1
    done
    echo "$1 not ready after 300 s; see $dir/$1/log" >&2
    return 1
}

start() {
    local n=$1
    [[ $n =~ ^[1-9][0-9]?$ ]] || usage
    if [ -n "$(pids)" ]; then
        echo "Nodes are recorded in $dir already ($0 stop first):" >&2
        pids >&2
        exit 1
    fi
    if [ -n "${HUB_ENV_FILE:-}" ]; then
        set -a
        # shellcheck disable=SC1090
        . "$HUB_ENV_FILE"
        set +a
    fi
    case "${HUB_DB_URL:-}" in
        jdbc:postgresql://*) ;;
        *) echo "HUB_DB_URL must name a PostgreSQL database that all nodes share (see server-config/postgresql.env)" >&2
           exit 1 ;;
    esac
    if [ -z "${HUB_SECRET_KEY:-}" ]; then
        if [ ! -f "$dir/secret-key" ]; then
            (umask 077 && head -c 32 /dev/urandom | base64 > "$dir/secret-key")
        fi
        HUB_SECRET_KEY=$(cat "$dir/secret-key")
    fi
    export HUB_SECRET_KEY
    local http=${HUB_PORT:-8080} hz=${HUB_CLUSTER_PORT:-5910} members="" i
    for i in $(seq 1 "$n"); do
        members+="${members:+,}127.0.0.1:$((hz + i - 1))"
    done
    for i in $(seq 1 "$n"); do
        local node="node-$i" port=$((http + i - 1))
        mkdir -p "$dir/$node/data" "$dir/$node/tmp"
        HUB_PORT=$port HUB_CLUSTER_PORT=$((hz + i - 1)) HUB_CLUSTER_MEMBERS=$members \
            HUB_CLUSTER_NAME=${HUB_CLUSTER_NAME:-hub-cluster} HUB_DATA_DIR="$dir/$node/data" \
            JAVA_OPTS="${JAVA_OPTS:--Xmx1g} -Djava.io.tmpdir=$dir/$node/tmp" \
            nohup "$root/payara/run.sh" > "$dir/$node/log" 2>&1 < /dev/null &
        echo $! > "$dir/$node/pid"
        echo "$node: pid $!, http://127.0.0.1:$port/, Hazelcast 127.0.0.1:$((hz + i - 1)), log $dir/$node/log"
        if [ "$i" = 1 ]; then
            # The first node migrates an empty database and creates the first admin alone.
            await_ready "$node" "$port" "$!"
        fi
    done
    for i in $(seq 2 "$n"); do
        await_ready "node-$i" $((http + i - 1)) "$(cat "$dir/node-$i/pid")"
    done
    echo "$n node(s) ready. The first admin's generated password (if any): $dir/node-1/data/initial-admin-password"
}

stop() {
    local node pid
    while read -r node pid; do
        [ -n "$node" ] || continue
        if alive "$pid"; then
            kill "$pid"
        fi
    done < <(pids)
    while read -r node pid; do
        [ -n "$node" ] || continue
        local deadline=$((SECONDS + 60))
        while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 1; done
        if alive "$pid"; then
            echo "$node (pid $pid) still running after 60 s: KILL" >&2
            kill -9 "$pid"
        fi
        rm -f "$dir/$node/pid"
        echo "$node (pid $pid) stopped"
    done < <(pids)
}

status() {
    local node pid
    while read -r node pid; do
        [ -n "$node" ] || continue
        if alive "$pid"; then echo "$node pid $pid running"; else echo "$node pid $pid not running"; fi
    done < <(pids)
}

case "${1:-}" in
    start) [ $# = 2 ] || usage; start "$2" ;;
    stop) stop ;;
    status) status ;;
    *) usage ;;
esac
