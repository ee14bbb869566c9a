#!/usr/bin/env bash
# Starts and stops N hub nodes (1 to 4) on WildFly 38 on this machine: servers/wildfly/run.sh each, with
# standalone-ha.xml plus server-config/wildfly/hub-ha.cli (session replication over JGroups on TCP bound to 127.0.0.1,
# members found by TCPPING from the list of the nodes' ports, never multicast), one shared PostgreSQL database and one
# hub.secret-key.
#   ./mvnw -DskipTests package
#   HUB_ENV_FILE=hub.env servers/wildfly/cluster.sh start 2   # node i: every port + HUB_PORT_OFFSET + 100 * (i - 1)
#   servers/wildfly/cluster.sh status
#   servers/wildfly/cluster.sh stop                           # by the recorded PIDs: TERM, then KILL after 60 s
# Node i listens on HTTP 8080 + its offset, management (health) 9990 + its offset, JGroups 7600 + its offset.
# Environment: HUB_ENV_FILE (KEY=value lines, e.g. a filled-in copy of server-config/postgresql.env; must point
# HUB_DB_URL at PostgreSQL), HUB_CLUSTER_DIR (./hub-wildfly-cluster: logs, PIDs, each node's server base and data
# directory, the generated secret key), HUB_PORT_OFFSET (0), JAVA_OPTS (-Xmx1g), plus any HUB_* configuration key.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${HUB_CLUSTER_DIR:-./hub-wildfly-cluster}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
base_offset=${HUB_PORT_OFFSET:-0}

usage() {
    echo "usage: $0 start N (1 to 4) | stop | status" >&2
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

code() { # url
    curl -s -o /dev/null -m 10 -w '%{http_code}' "$1" || true
}

await_ready() { # node-name offset pid
    local deadline=$((SECONDS + 300))
    while [ $SECONDS -lt $deadline ]; do
        alive "$3" || { echo "$1 exited; see $dir/$1/log" >&2; return 1; }
        if [ "$(code "http://127.0.0.1:$((8080 + $2))/login")" = 200 ] \
                && [ "$(code "http://127.0.0.1:$((9990 + $2))/health/ready")" = 200 ]; then
            return 0
        fi
        sleep 1
    done
    echo "$1 not ready after 300 s; see $dir/$1/log" >&2
    return 1
}

start() {
    local n=$1
    [[ $n =~ ^[1-4]$ ]] || usage
    [[ $base_offset =~ ^[0-9]+$ ]] || { echo "HUB_PORT_OFFSET must be a number" >&2; exit 1; }
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
    local peers=() i
    for i in $(seq 1 "$n"); do
        peers+=("-Dhub.cluster.peer$i.port=$((7600 + base_offset + 100 * (i - 1)))")
    done
    for i in $(seq 1 "$n"); do
        local node="node-$i" offset=$((base_offset + 100 * (i - 1)))
        mkdir -p "$dir/$node/data"
        HUB_PORT_OFFSET=$offset HUB_WILDFLY_CONFIG=standalone-ha.xml HUB_WILDFLY_BASE="$dir/$node/server" \
            HUB_DATA_DIR="$dir/$node/data" \
            nohup "$root/servers/wildfly/run.sh" "-Djboss.node.name=$node" "-Djboss.tx.node.id=$node" "${peers[@]}" \
            > "$dir/$node/log" 2>&1 < /dev/null &
        echo $! > "$dir/$node/pid"
        echo "$node: pid $!, http://127.0.0.1:$((8080 + offset))/, health http://127.0.0.1:$((9990 + offset))/health," \
            "JGroups 127.0.0.1:$((7600 + offset)), log $dir/$node/log"
        if [ "$i" = 1 ]; then
            # The first node migrates an empty database and creates the first admin alone.
            await_ready "$node" "$offset" "$!"
        fi
    done
    for i in $(seq 2 "$n"); do
        await_ready "node-$i" $((base_offset + 100 * (i - 1))) "$(cat "$dir/node-$i/pid")"
    done
    echo "$n node(s) ready. The first admin's generated password (if any): $dir/node-1/data/initial-admin-password"
}

stop() {
    local node pid
    while read -r node pid; do
        [ -n "$node" ] || continue
        if alive "$pid"; then
            kill "$pid" # run.sh forwards TERM to the server's JVM
        fi
    done < <(pids)
    while read -r node pid; do
        [ -n "$node" ] || continue
        local deadline=$((SECONDS + 60))
        while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 1; done
        if alive "$pid"; then
            echo "$node (pid $pid) still running after 60 s: KILL" >&2
            pkill -KILL -P "$pid" || true # the JVM, a child of the launcher
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
