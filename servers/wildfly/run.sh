#!/usr/bin/env bash
# Runs a built hub.war on WildFly 38.0.1.Final (standalone.xml plus server-config/wildfly/hub.cli), loopback only.
#   ./mvnw -DskipTests package && servers/wildfly/run.sh
# Then http://127.0.0.1:8080/ (the WAR as ROOT.war), health on the management port: http://127.0.0.1:9990/health/ready.
# Environment: HUB_PORT_OFFSET (0; moves every port, e.g. 20000: HTTP 28080, management 29990), WILDFLY_HOME
# (target/wildfly-38.0.1.Final, unpacked from Maven Central by Maven when missing), HUB_WILDFLY_BASE
# (target/wildfly-base: the server's configuration, deployments, logs and temp files, made anew at every start from
# WILDFLY_HOME/standalone), HUB_WILDFLY_CONFIG (standalone.xml; standalone-ha.xml for a cluster node, see
# server-config/wildfly/hub-ha.cli), HUB_DATA_DIR (./hub-data, the same as on Payara), HUB_HEAP_DUMP_DIR (none: when
# set, a heap dump is written there before the exit on OutOfMemoryError), JAVA_OPTS (-Xmx1g), plus any
# HUB_* configuration key (see README), also from HUB_ENV_FILE (KEY=value lines). Arguments are passed on to
# standalone.sh (e.g. -Djboss.node.name=node-1).
# Stop it with Ctrl+C or a TERM to this script's process.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${HUB_ENV_FILE:-}" ]; then
    # KEY=value lines (e.g. a filled-in copy of server-config/postgresql.env), as servers/wildfly/cluster.sh reads them.
    set -a
    # shellcheck disable=SC1090
    . "$HUB_ENV_FILE"
    set +a
fi
version=38.0.1.Final
war=${HUB_WAR:-$root/target/hub.war}
home=${WILDFLY_HOME:-$root/target/wildfly-$version}
base=${HUB_WILDFLY_BASE:-$root/target/wildfly-base}
offset=${HUB_PORT_OFFSET:-0}
config=${HUB_WILDFLY_CONFIG:-standalone.xml}
[ -f "$war" ] || { echo "No $war: build it with ./mvnw -DskipTests package" >&2; exit 1; }
[[ $offset =~ ^[0-9]+$ ]] || { echo "HUB_PORT_OFFSET must be a number" >&2; exit 1; }
if [ ! -x "$home/bin/standalone.sh" ]; then
    # overWriteReleases: the plugin's markers in target/ would otherwise call another location "already unpacked".
    "$root/mvnw" -q -f "$root/pom.xml" dependency:unpack -Dartifact=org.wildfly:wildfly-dist:$version:zip \
        -DoutputDirectory="$(dirname "$home")" -Dmdep.overWriteReleases=true
    [ -x "$home/bin/standalone.sh" ] || { echo "No WildFly $version in $home after unpacking" >&2; exit 1; }
fi

# A fresh server base from the distribution's, configured offline by the project's CLI script. Only a WildFly server
# base (a copy of standalone/, as this script makes) is ever removed.
if [ -e "$base" ] && [ ! -f "$base/configuration/standalone.xml" ]; then
    echo "$base exists and is no WildFly server base: choose another HUB_WILDFLY_BASE" >&2
    exit 1
fi
rm -rf "$base"
mkdir -p "$(dirname "$base")"
cp -r "$home/standalone" "$base"
base=$(cd "$base" && pwd)
WILDFLY_HOME=$home "$root/servers/wildfly/configure.sh" "$base/configuration" hub.xml "$config"
cp "$war" "$base/deployments/ROOT.war"

export HUB_DATA_DIR=${HUB_DATA_DIR:-./hub-data}
# standalone.conf keeps its defaults only when JAVA_OPTS is unset; these are the ones that matter here.
# Out of heap, the JVM exits so that its supervisor restarts it: a node that limps on answers errors.
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g} -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true -XX:+ExitOnOutOfMemoryError"
if [ -n "${HUB_HEAP_DUMP_DIR:-}" ]; then
    mkdir -p "$HUB_HEAP_DUMP_DIR"
    JAVA_OPTS+=" -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$HUB_HEAP_DUMP_DIR"
fi
# The script then forwards TERM and INT to the server's JVM.
export LAUNCH_JBOSS_IN_BACKGROUND=1
exec "$home/bin/standalone.sh" -Djboss.server.base.dir="$base" -c hub.xml \
    -b 127.0.0.1 -bmanagement 127.0.0.1 -Djboss.bind.address.private=127.0.0.1 \
    -Djboss.socket.binding.port-offset="$offset" "$@"
