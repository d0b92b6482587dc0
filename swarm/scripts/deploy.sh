#!/usr/bin/env bash
# agentnet: deploy swarm/docker-stack.yml to the Docker Swarm this manager node belongs to.
#
#  1. creates the Docker secrets the stack needs (external: true) that do not exist yet, from
#     files in --secrets-dir, or generated (--generate, NATS passwords only), or typed in;
#  2. checks the node labels the stack places services with (or sets them on this node);
#  3. versions the Swarm configs by a hash of their files (AGENTNET_CONFIG_VERSION);
#  4. runs `docker stack deploy -c swarm/docker-stack.yml <stack>` from the repository root.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: swarm/scripts/deploy.sh [options]

Creates missing secrets, checks node labels, then runs
`docker stack deploy -c swarm/docker-stack.yml agentnet`.

Options:
  -n, --name STACK        stack name (default: agentnet)
  -s, --secrets-dir DIR   read each missing secret from DIR/<secret name> (trailing newline dropped)
  -g, --generate          generate missing NATS passwords instead of asking for them
      --label-this-node   put every placement label on this node (one-node trial swarm)
      --dry-run           print the docker commands that change something, run none of them
  -h, --help              this help

Secrets (Docker secrets, external to the stack):
  nats_cluster_password        routes between the NATS nodes
  nats_orchestrator_password   NATS user orchestrator
  nats_specialist_password     NATS user specialist
  nats_monitor_password        NATS user monitor
  nats_mcp_server_password     NATS user mcp_server
  nats_dashboard_password      NATS user dashboard
  nats_admin_password          NATS user admin (operators)
  nats_sys_password            NATS user sys (system account)
  proxmox_token_value          Proxmox VE API token value (mcp-proxmox)
  dashboard_token              the dashboard's token for submit, cancel and tool calls
NATS passwords must be letters and digits (and - _), starting with a letter, 16+ characters.

Environment read by the stack file: AGENTNET_REGISTRY, AGENTNET_TAG, LOG_LEVEL,
AGENT_HEARTBEAT_INTERVAL, METRICS_INTERVAL, DASHBOARD_PORT, PROXMOX_HOST, PROXMOX_PORT,
PROXMOX_USER, PROXMOX_TOKEN_NAME, PROXMOX_VERIFY_TLS (all have defaults).
USAGE
}

stack=agentnet
secrets_dir=""
generate=false
label_this_node=false
dry_run=false

while [ "$#" -gt 0 ]; do
  case "$1" in
    -n|--name) [ "$#" -ge 2 ] || { usage >&2; exit 2; }; stack=$2; shift ;;
    -s|--secrets-dir) [ "$#" -ge 2 ] || { usage >&2; exit 2; }; secrets_dir=$2; shift ;;
    -g|--generate) generate=true ;;
    --label-this-node) label_this_node=true ;;
    --dry-run) dry_run=true ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"

nats_secrets=(
  nats_cluster_password nats_orchestrator_password nats_specialist_password nats_monitor_password
  nats_mcp_server_password nats_dashboard_password nats_admin_password nats_sys_password
)
other_secrets=(proxmox_token_value dashboard_token)
labels=(agentnet.nats-1 agentnet.nats-2 agentnet.nats-3 agentnet.workspace)

die() { echo "deploy: $*" >&2; exit 1; }

# Runs a command that changes the swarm, or prints it with --dry-run.
run() {
  if [ "$dry_run" = true ]; then
    printf 'dry-run:'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

command -v docker >/dev/null 2>&1 || die "docker is not installed"

if [ "$dry_run" != true ]; then
  state=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null) \
    || die "cannot reach the Docker engine"
  [ "${state%% *}" = active ] || die "this Docker engine is not in a swarm (docker swarm init)"
  [ "${state##* }" = true ] || die "run this on a swarm manager node"
fi

secret_exists() {
  [ "$dry_run" != true ] && docker secret inspect "$1" >/dev/null 2>&1
}

new_password() {
  # 'p' + 48 hex digits: starts with a letter, so nats-server reads it as a string.
  printf 'p%s' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
}

valid_nats_password() {
  [[ $1 =~ ^[A-Za-z][A-Za-z0-9_-]{15,}$ ]]
}

is_nats_secret() {
  local s
  for s in "${nats_secrets[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# Creates secret $1 with value $2 (no trailing newline).
create_secret() {
  if [ "$dry_run" = true ]; then
    echo "dry-run: printf '%s' '<value>' | docker secret create $1 -"
  else
    printf '%s' "$2" | docker secret create "$1" - >/dev/null
    echo "deploy: created secret $1"
  fi
}

for secret in "${nats_secrets[@]}" "${other_secrets[@]}"; do
  if secret_exists "$secret"; then
    echo "deploy: secret $secret exists"
    continue
  fi
  value=""
  if [ -n "$secrets_dir" ] && [ -f "$secrets_dir/$secret" ]; then
    value=$(cat "$secrets_dir/$secret")
  elif [ "$generate" = true ] && is_nats_secret "$secret"; then
    value=$(new_password)
  elif [ -t 0 ]; then
    read -r -s -p "Value for secret $secret: " value
    echo
  else
    die "secret $secret is missing: put it in --secrets-dir DIR/$secret, use --generate (NATS passwords), or run interactively"
  fi
  [ -n "$value" ] || die "secret $secret: empty value"
  if is_nats_secret "$secret" && ! valid_nats_password "$value"; then
    die "secret $secret: use 16+ letters/digits (and - _), starting with a letter (nats-server parses the value)"
  fi
  create_secret "$secret" "$value"
done

# Placement labels.
if [ "$label_this_node" = true ]; then
  node=self
  if [ "$dry_run" != true ]; then
    node=$(docker info --format '{{.Swarm.NodeID}}')
  fi
  label_args=()
  for label in "${labels[@]}"; do label_args+=(--label-add "$label=true"); done
  run docker node update "${label_args[@]}" "$node"
elif [ "$dry_run" != true ]; then
  missing=()
  for label in "${labels[@]}"; do
    found=false
    for node in $(docker node ls -q); do
      if [ "$(docker node inspect --format "{{ index .Spec.Labels \"$label\" }}" "$node")" = true ]; then
        found=true
        break
      fi
    done
    [ "$found" = true ] || missing+=("$label")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "deploy: no node carries these placement labels: ${missing[*]}" >&2
    echo "deploy: label the nodes, e.g." >&2
    for label in "${missing[@]}"; do
      echo "  docker node update --label-add $label=true <NODE>" >&2
    done
    die "or rerun with --label-this-node on a one-node swarm"
  fi
fi

# Swarm configs are immutable: a new name for every content change.
AGENTNET_CONFIG_VERSION=$(cat conf/cluster.conf conf/accounts.conf swarm/nats-entrypoint.sh swarm/haproxy.cfg \
  | sha256sum | cut -c1-12)
export AGENTNET_CONFIG_VERSION
echo "deploy: config version $AGENTNET_CONFIG_VERSION"

run docker stack deploy --with-registry-auth -c swarm/docker-stack.yml "$stack"
if [ "$dry_run" != true ]; then
  echo "deploy: done. Watch it with: docker stack services $stack"
fi
