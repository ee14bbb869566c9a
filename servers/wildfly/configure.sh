#!/usr/bin/env bash
# Writes a WildFly configuration file for the hub: a copy of one of the distribution's (standalone.xml by default)
# with server-config/wildfly/hub.cli applied offline, and hub-ha.cli too when the source is standalone-ha.xml (a
# cluster node). Used by run.sh and by the in-server tests on WildFly.
#   servers/wildfly/configure.sh CONFIG_DIR TARGET_NAME [SOURCE_NAME]
# e.g. servers/wildfly/configure.sh target/wildfly-38.0.1.Final/standalone/configuration standalone-hub.xml
# Environment: WILDFLY_HOME (target/wildfly-38.0.1.Final, unpacked from Maven Central by Maven when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=38.0.1.Final
home=${WILDFLY_HOME:-$root/target/wildfly-$version}
[ $# -ge 2 ] || { echo "usage: $0 CONFIG_DIR TARGET_NAME [SOURCE_NAME]" >&2; exit 2; }
config_dir=$(cd "$1" && pwd)
target=$2
source=${3:-standalone.xml}
if [ ! -x "$home/bin/jboss-cli.sh" ]; then
    # overWriteReleases: the plugin's markers in target/ would otherwise call another location "already unpacked".
    "$root/mvnw" -q -f "$root/pom.xml" dependency:unpack -Dartifact=org.wildfly:wildfly-dist:$version:zip \
        -DoutputDirectory="$(dirname "$home")" -Dmdep.overWriteReleases=true
    [ -x "$home/bin/jboss-cli.sh" ] || { echo "No WildFly $version in $home after unpacking" >&2; exit 1; }
fi
[ "$source" = "$target" ] || cp "$config_dir/$source" "$config_dir/$target"
# The embedded server reads and writes the configuration directory of jboss.server.config.dir.
scripts=(hub.cli)
[ "$source" != standalone-ha.xml ] || scripts+=(hub-ha.cli)
for script in "${scripts[@]}"; do
    JAVA_OPTS="-Djboss.server.config.dir=$config_dir -Dhub.server.config=$target" \
        "$home/bin/jboss-cli.sh" --file="$root/server-config/wildfly/$script" >/dev/null
done
