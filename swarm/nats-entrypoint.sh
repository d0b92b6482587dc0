#!/bin/sh
# agentnet: entrypoint of the NATS nodes in swarm/docker-stack.yml (mounted as a Swarm config,
# run by the image's /bin/sh; POSIX sh, busybox-compatible).
#
# 1. Docker secrets: for every NATS_X_FILE variable, export NATS_X with the file's content (the
#    trailing newline of `echo pw | docker secret create` dropped). nats-server reads passwords
#    from $VARIABLES in conf/cluster.conf and conf/accounts.conf but has no *_FILE support.
# 2. Routes: a route URL must carry the route user and password, and a config string cannot embed
#    a variable, so NATS_CLUSTER_ROUTES (an array in nats config syntax) is built here from
#    NATS_CLUSTER_PASSWORD and NATS_CLUSTER_PEERS ("host" or "host:port" words; default
#    "nats-1 nats-2 nats-3", port 6222), unless NATS_CLUSTER_ROUTES is already set.
# 3. exec nats-server with the arguments given (the stack passes `-c /etc/nats/nats.conf`).
set -eu

for name in $(env | sed -n 's/^\(NATS_[A-Za-z0-9_]*\)_FILE=.*/\1/p'); do
  # name is [A-Za-z0-9_] only (the sed above), so eval reads ${name}_FILE safely.
  file=""
  eval "file=\${${name}_FILE}"
  if [ ! -r "$file" ]; then
    echo "nats-entrypoint: ${name}_FILE names $file, which is not a readable file" >&2
    exit 1
  fi
  value=$(cat "$file")
  if [ -z "$value" ]; then
    echo "nats-entrypoint: $file (${name}_FILE) is empty" >&2
    exit 1
  fi
  export "$name=$value"
  unset "${name}_FILE"
done

if [ -z "${NATS_CLUSTER_ROUTES:-}" ] && [ -n "${NATS_CLUSTER_PASSWORD:-}" ]; then
  routes=""
  for peer in ${NATS_CLUSTER_PEERS:-nats-1 nats-2 nats-3}; do
    case "$peer" in
      *:*) hostport=$peer ;;
      *) hostport=$peer:6222 ;;
    esac
    # The double quotes are meant literally: they are nats config syntax inside the value.
    # shellcheck disable=SC2089
    routes="${routes:+$routes, }\"nats://route:${NATS_CLUSTER_PASSWORD}@${hostport}\""
  done
  # shellcheck disable=SC2090
  NATS_CLUSTER_ROUTES="[$routes]"
  # shellcheck disable=SC2090
  export NATS_CLUSTER_ROUTES
fi

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- nats-server "$@"
fi
exec "$@"
