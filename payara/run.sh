#!/usr/bin/env bash
# Runs a built hub.war on Payara Micro, loopback only, with the same options as the quick start.
#   ./mvnw -DskipTests package && payara/run.sh
# Environment: HUB_PORT (8080), HUB_CLUSTER_PORT (5910), HUB_CLUSTER_NAME (hub-local), HUB_CLUSTER_MEMBERS
# (127.0.0.1:$HUB_CLUSTER_PORT; payara/cluster.sh lists every node's), HUB_DATA_DIR (./hub-data), PAYARA_MICRO_JAR
# (target/payara-micro.jar, fetched from Maven Central by the build when missing), HUB_HEAP_DUMP_DIR (none: when set,
# a heap dump is written there before the exit on OutOfMemoryError), JAVA_OPTS, plus any HUB_* configuration key
# (see README).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
war=${HUB_WAR:-$root/target/hub.war}
jar=${PAYARA_MICRO_JAR:-$root/target/payara-micro.jar}
[ -f "$war" ] || { echo "No $war: build it with ./mvnw -DskipTests package" >&2; exit 1; }
if [ ! -f "$jar" ]; then
    "$root/mvnw" -q -f "$root/pom.xml" dependency:copy -Dartifact=fish.payara.extras:payara-micro:6.2025.10 \
        -DoutputDirectory="$(dirname "$jar")" -Dmdep.stripVersion=true
fi
export HUB_DATA_DIR=${HUB_DATA_DIR:-./hub-data}
cluster_port=${HUB_CLUSTER_PORT:-5910}
members=${HUB_CLUSTER_MEMBERS:-127.0.0.1:$cluster_port}
for member in ${members//,/ }; do
    [[ $member =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ ]] \
        || { echo "HUB_CLUSTER_MEMBERS: $member is not a loopback address:port" >&2; exit 1; }
done
# Out of heap, the JVM exits so that its supervisor (systemd, Kubernetes, payara/cluster.sh's operator) restarts it:
# a node that limps on drops out of its grid and answers errors.
memory=(-XX:+ExitOnOutOfMemoryError)
if [ -n "${HUB_HEAP_DUMP_DIR:-}" ]; then
    mkdir -p "$HUB_HEAP_DUMP_DIR"
    memory+=(-XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$HUB_HEAP_DUMP_DIR")
fi
# Hazelcast (session replication) with TCP/IP discovery on loopback only; never multicast.
exec java ${JAVA_OPTS:-} "${memory[@]}" -Dhazelcast.socket.bind.any=false -Dhazelcast.phone.home.enabled=false -jar "$jar" \
    --clustermode "tcpip:$members" --interfaces 127.0.0.1 --nohostaware \
    --clustername "${HUB_CLUSTER_NAME:-hub-local}" --startport "$cluster_port" \
    --disablephonehome \
    --port "${HUB_PORT:-8080}" \
    --prebootcommandfile "$root/server-config/pre-boot-commands.asadmin" \
    --deploy "$war" --contextroot /
