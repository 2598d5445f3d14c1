#!/bin/bash
# oracle/run-case.sh TARGET CASE.yaml [-o TRANSCRIPT] [--raw DIR]
# Boot TARGET (xen-4.17 | xen-4.20 | linux) under QEMU, replay the case's
# inject events through QEMU's monitor, write the normalized transcript
# (oracle/README.md). Needs oracle/setup.sh to have run once.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" "$(dirname "$0")/run_case.py" "$@"
