#!/usr/bin/env bash
# The demo behind `make demo`: start the devcloud, create the autoscaled web tier of
# templates/autoscaling_web.yaml with two members and its load alarms, send HTTP requests
# through the load balancer, put load on it and watch the alarm add a third member, then
# stop the load and watch it scale back in.
# Run it again at will: it replaces the stack `web` of the previous run.
# Needs `make venv` (and haproxy, curl) first; `make demo` does all of it.
#   scripts/demo.sh [--state-dir DIR] [--vip-cidr CIDR]
# --state-dir: the devcloud's state directory (default .devcloud of this checkout);
# --vip-cidr: its VIP subnet the first time (default: the devcloud's). make bench runs
# the demo in a temporary state dir with a VIP subnet of its own, beside any other.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
STATE_DIR="$ROOT/.devcloud"
UP_OPTIONS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --state-dir) STATE_DIR=$2; shift 2 ;;
        --vip-cidr) UP_OPTIONS+=(--vip-cidr "$2"); shift 2 ;;
        *) echo "usage: $0 [--state-dir DIR] [--vip-cidr CIDR]" >&2; exit 2 ;;
    esac
done
STACK=web
REQUESTS=6
SCALE_TIMEOUT=60
LOAD_CLIENTS=10       # each keeps a 1 s request open: 10 open connections

if [ ! -x "$ROOT/.venv/bin/heat-lbaas-devcloud" ]; then
    echo "demo: $ROOT/.venv is not set up; run 'make demo' (or 'make venv')" >&2
    exit 1
fi
# haproxy lives in /usr/sbin, which is not on a non-root user's PATH on Debian.
export PATH="$ROOT/.venv/bin:$PATH:/usr/sbin:/sbin"
export HEAT_LBAAS_DEVCLOUD_DIR="$STATE_DIR"

step() { printf '\n==> %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# Every openstack command logs "Could not load 'reservation_host_unset': ..." because
# python-blazarclient (a dependency of openstack-heat) registers a command its module
# lacks. Harmless; drop that line and keep the rest of stderr.
openstack() {
    local err rc=0
    err=$(mktemp)
    command openstack "$@" 2>"$err" || rc=$?
    grep -v "^Could not load 'reservation_host_unset'" "$err" >&2 || true
    rm -f "$err"
    return "$rc"
}

fail() {
    printf '\ndemo FAILED: %s\n' "$*" >&2
    exit 1
}

show_stack_failure() {
    echo "--- stack $STACK:" >&2
    openstack stack show "$STACK" -c stack_status -c stack_status_reason -f yaml >&2 || true
    echo "--- resources not complete:" >&2
    openstack stack resource list -n 5 "$STACK" -f value \
        -c resource_name -c resource_type -c resource_status -c resource_status_reason \
        2>/dev/null | grep -v '_COMPLETE' >&2 || true
    echo "--- last errors in the heat log ($HEAT_LBAAS_DEVCLOUD_DIR/logs/heat.log):" >&2
    heat-lbaas-devcloud logs heat -n 1000 | grep -E ' (ERROR|CRITICAL|WARNING) ' \
        | tail -n 25 >&2 || true
    echo "--- last lines of the controller log:" >&2
    heat-lbaas-devcloud logs controller -n 200 | tail -n 10 >&2 || true
    echo "--- more: .venv/bin/heat-lbaas-devcloud logs heat -n 200" >&2
}

output() {
    openstack stack output show "$STACK" "$1" -f value -c output_value
}

# One request through the load balancer: the answer's first line names the member that
# served it ("served-by: <stack>/<resource> <address>:<port>").
request() {
    local body rc=0
    body=$(curl -s --fail --max-time 5 "$LB_URL") || rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "${body%%$'\n'*}"
    else
        echo "(no answer: curl exit code $rc)"
    fi
}

# Sends $REQUESTS requests; sets RESPONSES (one line each), DISTINCT (members of this
# stack's group that answered) and FOREIGN (answers from web servers outside the group).
send_requests() {
    RESPONSES=()
    local i
    for ((i = 0; i < REQUESTS; i++)); do
        RESPONSES+=("$(request)")
    done
    DISTINCT=$(printf '%s\n' "${RESPONSES[@]}" | { grep -F "$MEMBER_PREFIX" || true; } \
               | sort -u | wc -l)
    FOREIGN=$(printf '%s\n' "${RESPONSES[@]}" | { grep '^served-by:' || true; } \
              | { grep -vF "$MEMBER_PREFIX" || true; } | wc -l)
}

# Sends requests until $1 distinct members answer, at most $2 seconds after $3 (a `now`).
wait_for_members() {
    local wanted=$1 timeout=$2 started=$3
    while :; do
        send_requests
        [ "$DISTINCT" -ge "$wanted" ] && return 0
        if awk -v t="$(since "$started")" -v max="$timeout" 'BEGIN { exit !(t > max) }'; then
            return 1
        fi
        sleep 0.5
    done
}

print_responses() {
    local line
    for line in "${RESPONSES[@]}"; do
        case "$line" in
            "$MEMBER_PREFIX"*) echo "  $line" ;;
            "served-by:"*) echo "  $line   <- NOT a member of this stack" ;;
            *) echo "  $line" ;;
        esac
    done
    if [ "$FOREIGN" -gt 0 ]; then
        echo "WARNING: $FOREIGN answers came from web servers outside this stack: another load" \
             "balancer on this machine (another devcloud with the same VIP subnet?) listens on" \
             "${LB_URL}, and the kernel shares the connections between the two (SO_REUSEPORT)." \
             "Only members of this stack are counted." >&2
    fi
}

demo_start=$(now)

step "Starting the devcloud (Heat API + engine, the Octavia-compatible controller)"
if ! up_output=$(heat-lbaas-devcloud up ${UP_OPTIONS[@]+"${UP_OPTIONS[@]}"} 2>&1); then
    echo "$up_output" >&2
    fail "heat-lbaas-devcloud up did not start the devcloud (output above)"
fi
# Its status lines; the usage hint it ends with is printed at the end of the demo.
echo "$up_output" | sed '/^Use it:/,$d'
eval "$(heat-lbaas-devcloud env)"

if status=$(openstack stack show "$STACK" -f value -c stack_status 2>/dev/null); then
    step "Deleting the stack '$STACK' of a previous demo ($status)"
    started=$(now)
    openstack stack delete -y --wait "$STACK" >/dev/null || {
        show_stack_failure
        fail "could not delete the stack '$STACK' of a previous run"
    }
    echo "deleted in $(since "$started") s"
fi

# load_alarms: scale up above 4 open connections per member, in below 1, evaluated every
# 2 s (two periods in a row); min_size 2 keeps two members when idle.
STACK_PARAMETERS=(--parameter desired_size=2 --parameter min_size=2 --parameter max_size=4
                  --parameter load_alarms=true --parameter load_alarm_period=2)
step "Creating the stack '$STACK': templates/autoscaling_web.yaml, 2 members, load alarms"
echo "openstack stack create -t templates/autoscaling_web.yaml -e environments/devcloud.yaml" \
     "${STACK_PARAMETERS[*]} --wait --poll 1 $STACK"
started=$(now)
if ! openstack stack create -t templates/autoscaling_web.yaml -e environments/devcloud.yaml \
        "${STACK_PARAMETERS[@]}" --wait --poll 1 "$STACK" >/dev/null; then
    show_stack_failure
    fail "the stack '$STACK' did not reach CREATE_COMPLETE"
fi
status=$(openstack stack show "$STACK" -f value -c stack_status)
if [ "$status" != CREATE_COMPLETE ]; then
    show_stack_failure
    fail "the stack '$STACK' is $status, not CREATE_COMPLETE"
fi
echo "$status in $(since "$started") s"
openstack stack resource list "$STACK" -c resource_name -c resource_type -c resource_status

LB_URL=$(output lb_url)
SCALE_UP_URL=$(output scale_up_url)
SCALE_DOWN_URL=$(output scale_down_url)
echo "lb_url: $LB_URL"
# Members answer "served-by: <their stack>/server ...", their stack being a nested stack of
# the group, named <group's stack>-<random>.
group_stack=$(openstack stack resource show "$STACK" web_group -f value -c physical_resource_id)
MEMBER_PREFIX="served-by: $(openstack stack show "$group_stack" -f value -c stack_name)-"

step "$REQUESTS HTTP requests to $LB_URL"
started=$(now)
if ! wait_for_members 2 20 "$started"; then
    print_responses
    show_stack_failure
    fail "expected 2 members to answer through $LB_URL, got $DISTINCT after 20 s"
fi
print_responses
echo "$DISTINCT distinct members answered"

LOAD_PIDS=()
stop_load() {
    if [ "${#LOAD_PIDS[@]}" -gt 0 ]; then
        kill "${LOAD_PIDS[@]}" 2>/dev/null || true
        wait "${LOAD_PIDS[@]}" 2>/dev/null || true
        LOAD_PIDS=()
    fi
}
trap stop_load EXIT

step "Scaling on load: $LOAD_CLIENTS clients, each keeping a 1 s request open ($LB_URL?sleep=1)"
started=$(now)
for ((i = 0; i < LOAD_CLIENTS; i++)); do
    (trap 'exit 0' TERM
     while :; do curl -s -o /dev/null --max-time 10 "$LB_URL?sleep=1" || true; done) &
    LOAD_PIDS+=($!)
done
echo "waiting (up to ${SCALE_TIMEOUT} s) until the scale-up alarm adds a third member"
if ! wait_for_members 3 "$SCALE_TIMEOUT" "$started"; then
    print_responses
    echo "alarms: $(output load_alarm_states)" >&2
    show_stack_failure
    fail "after ${SCALE_TIMEOUT} s of load only $DISTINCT distinct members answer"
fi
took=$(since "$started")
print_responses
echo "$DISTINCT distinct members answered, $took s after the load began" \
     "(alarms: $(output load_alarm_states))"

step "Load stopped: the scale-down alarm removes members (drained first) down to min_size 2"
stop_load
started=$(now)
while [ "$(output current_size)" -gt 2 ]; do
    if awk -v t="$(since "$started")" -v max="$SCALE_TIMEOUT" 'BEGIN { exit !(t > max) }'; then
        show_stack_failure
        fail "still $(output current_size) members ${SCALE_TIMEOUT} s after the load stopped"
    fi
    sleep 1
done
echo "back to $(output current_size) members $(since "$started") s after the load stopped"

cat <<EOF

==> Demo done in $(since "$demo_start") s. The devcloud and the stack '$STACK' keep running.

Use them from this directory with the openstack CLI:
  eval "\$(.venv/bin/heat-lbaas-devcloud env)"     # PATH=\$PWD/.venv/bin:\$PATH for the CLI
  openstack stack list
  openstack stack output show $STACK --all
  openstack loadbalancer list
  openstack loadbalancer status show <loadbalancer id>
  curl $LB_URL
Scale by signal too (idle, the scale-down alarm brings it back to min_size 2):
  curl -X POST '$SCALE_UP_URL'
  curl -X POST '$SCALE_DOWN_URL'
  openstack stack output show $STACK load_alarm_states
Logs: .venv/bin/heat-lbaas-devcloud logs heat|controller
Stop everything: make down      (or: .venv/bin/heat-lbaas-devcloud down)
EOF
