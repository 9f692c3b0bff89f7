#!/bin/sh
# make tempest | make tempest-octavia: a devcloud with Keystone in a temporary state
# directory, a tempest.conf for it, `tempest run` of one suite, then everything it
# started stopped (by PID, `heat-lbaas-devcloud down`) and the directory removed.
#   scripts/tempest.sh heat_lbaas TEMPEST_BIN [REGEX]   this project's scenario tests
#   scripts/tempest.sh octavia    TEMPEST_BIN [REGEX]   octavia-tempest-plugin's API tests
#                                                       (the controller's noop driver)
# TEMPEST_CONCURRENCY (default 2) test workers. Exit status: tempest run's.
set -eu
suite=$1
tempest=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")   # absolute: the run is from $work
case $suite in
    heat_lbaas) regex=${3:-'^tempest_plugin\.tests\.scenario'}; driver=haproxy ;;
    octavia) regex=${3:-'^octavia_tempest_plugin\.tests\.api\.v2'}; driver=noop ;;
    *) echo "usage: $0 heat_lbaas|octavia TEMPEST_BIN [REGEX]" >&2; exit 2 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/heat-lbaas-tempest.XXXXXX")
export HEAT_LBAAS_DEVCLOUD_DIR="$work/devcloud"
unset OS_CLOUD OS_CLIENT_CONFIG_FILE
finish() {
    status=$?
    heat-lbaas-devcloud down >/dev/null 2>&1 || status=1
    if [ "$status" -ne 0 ] && [ -f "$work/tempest.log" ]; then
        echo "--- last lines of tempest.log ---"; tail -n 40 "$work/tempest.log"
    fi
    if [ "$status" -ne 0 ]; then
        # What the services logged as refused or failed: the devcloud's logs go with
        # $work, and a refusal's cause (Keystone's, Heat's, the controller's) is there.
        for log in "$HEAT_LBAAS_DEVCLOUD_DIR"/logs/*.log; do
            echo "--- errors and refusals in $(basename "$log") ---"
            grep -E -i ' (ERROR|WARNING) |Forbidden|403' "$log" \
                | grep -v 'Truncating password' | tail -n 20 || true
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM
heat-lbaas-devcloud up --auth keystone --amphora-driver "$driver"
heat-lbaas-devcloud tempest-conf --suite "$suite" --work-dir "$work" > "$work/tempest.conf"
cd "$work"
if [ "$suite" = octavia ]; then
    # Tempest's own .stestr.conf (what `tempest run` writes when there is none) without
    # its group_regex: tests are spread over the workers one by one, not class by class
    # (one class holds 72 of the 94 tests of make test's subset; each worker sets up
    # the class's load balancer for itself).
    tempest_dir=$("$(dirname "$tempest")/python" -c \
        'import os, tempest; print(os.path.dirname(tempest.__file__))')
    printf '[DEFAULT]\ntest_path=%s/test_discover\ntop_dir=%s\n' \
        "$tempest_dir" "$tempest_dir" > .stestr.conf
fi
# No workspace: tempest run reads this conf (and, for heat_lbaas, writes its .stestr.conf).
"$tempest" run --config-file "$work/tempest.conf" --regex "$regex" \
    --concurrency "${TEMPEST_CONCURRENCY:-2}"
