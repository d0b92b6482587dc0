#!/usr/bin/env bash
# agentnet: create docker/.env for docker/docker-compose.yml from conf/agentnet.env.example,
# filling every empty NATS_<USER>_PASSWORD with a random password that nats-server accepts
# (a letter, then hex digits: see conf/accounts.conf). Existing docker/.env is kept unless --force.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: docker/make-env.sh [--force] [--output FILE]

Creates docker/.env (or FILE) from conf/agentnet.env.example with random NATS user passwords.
  --force        overwrite an existing file
  --output FILE  write FILE instead of docker/.env
USAGE
}

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
output="$repo_root/docker/.env"
force=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --force) force=true ;;
    --output) [ "$#" -ge 2 ] || { usage >&2; exit 2; }; output=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-env: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ -e "$output" ] && [ "$force" != true ]; then
  echo "make-env: $output exists; keeping it (use --force to overwrite)" >&2
  exit 1
fi

new_password() {
  # 'p' + 48 hex digits: starts with a letter, so nats-server reads it as a string.
  printf 'p%s' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
}

umask 077
tmp=$(mktemp "${output}.XXXXXX")
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    NATS_ORCHESTRATOR_PASSWORD=|NATS_SPECIALIST_PASSWORD=|NATS_MONITOR_PASSWORD=|NATS_MCP_SERVER_PASSWORD=|\
NATS_DASHBOARD_PASSWORD=|NATS_ADMIN_PASSWORD=|NATS_SYS_PASSWORD=)
      printf '%s%s\n' "$line" "$(new_password)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$repo_root/conf/agentnet.env.example" > "$tmp"
mv "$tmp" "$output"
trap - EXIT
echo "make-env: wrote $output (mode 600) with new NATS passwords"
