#!/usr/bin/env bash
# agentnet: scale a service of the agentnet stack, e.g. `swarm/scripts/scale.sh specialist 6`.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: swarm/scripts/scale.sh [-n STACK] [--dry-run] SERVICE REPLICAS
       swarm/scripts/scale.sh [-n STACK] --list

Scales STACK_SERVICE (stack default: agentnet) to REPLICAS with `docker service scale`.

Scalable services: orchestrator, specialist, specialist-ml, monitor, mcp-filesystem,
mcp-proxmox, mcp-cloud, dashboard, nats-lb.
Not scalable: nats-1, nats-2, nats-3 (one task per cluster node; the cluster has three nodes).
Notes: orchestrator needs LEADER_ELECTION=true above 1 (the stack sets it);
mcp-filesystem replicas share one workspace only on nodes labelled agentnet.workspace=true.

Options:
  -n, --name STACK   stack name (default: agentnet)
  -l, --list         show the stack's services and replica counts
      --dry-run      print the command instead of running it
  -h, --help         this help
USAGE
}

stack=agentnet
list=false
dry_run=false
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -n|--name) [ "$#" -ge 2 ] || { usage >&2; exit 2; }; stack=$2; shift ;;
    -l|--list) list=true ;;
    --dry-run) dry_run=true ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "scale: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$list" = true ]; then
  exec docker stack services "$stack"
fi

[ "${#args[@]}" -eq 2 ] || { usage >&2; exit 2; }
service=${args[0]}
replicas=${args[1]}

case "$service" in
  orchestrator|specialist|specialist-ml|monitor|mcp-filesystem|mcp-proxmox|mcp-cloud|dashboard|nats-lb) ;;
  nats-1|nats-2|nats-3)
    echo "scale: $service is one node of the NATS cluster and runs exactly one task" >&2
    exit 1 ;;
  *)
    echo "scale: unknown service: $service" >&2
    usage >&2
    exit 2 ;;
esac

[[ $replicas =~ ^[0-9]+$ ]] || { echo "scale: REPLICAS must be a whole number, got: $replicas" >&2; exit 2; }
if [ "$service" = monitor ] && [ "$replicas" -gt 1 ]; then
  echo "scale: warning: the stack runs one monitor; make sure the monitor supports several replicas" >&2
fi

if [ "$dry_run" = true ]; then
  echo "dry-run: docker service scale ${stack}_${service}=${replicas}"
else
  docker service scale "${stack}_${service}=${replicas}"
fi
