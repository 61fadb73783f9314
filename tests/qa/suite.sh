#!/bin/sh
# suite.sh - `cyanprobe qa` end to end, as a lab runs it.  The plan checks
# are data (tests/qa/CHECKS: a plan, the exit status, the message), run with
# the plain and the ASan+UBSan binaries; the plans that must pass are also
# checked against the published JSON Schema (docs/qa-plan.schema.json) with
# python3-jsonschema.  Prints FAIL/SKIP lines and the tally.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
SRC=$(pwd)
RULES=$SRC/rules

pass=0 fail=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-suite.XXXXXX") || exit 3
trap 'rm -rf "$TMPD"' EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }

# --- qa check: the lines of CHECKS -----------------------------------------
# check_plans BIN: each line "file status text" through `qa check`.
check_plans() {
	bin=$1
	grep -v '^#' tests/qa/CHECKS | grep -v '^[[:space:]]*$' |
	while read -r file want text; do
		(cd tests/qa && "$bin" qa check --rules "$RULES" "$file") \
		    >"$TMPD/out" 2>"$TMPD/err"
		rc=$?
		where=$TMPD/out
		[ "$want" -ne 0 ] && where=$TMPD/err
		if [ "$rc" -ne "$want" ]; then
			echo "FAIL check/$file ($bin): exit $rc, want $want:" \
			    "$(head -c 300 "$TMPD/err")"
		elif ! grep -qF -- "$text" "$where"; then
			echo "FAIL check/$file ($bin): no \"$text\" in:" \
			    "$(head -c 300 "$where")"
		elif [ "$want" -ne 0 ] &&
		    ! head -n 1 "$TMPD/err" | grep -q "^cyanprobe: $file"; then
			echo "FAIL check/$file ($bin): the error does not start" \
			    "with the file name: $(head -c 200 "$TMPD/err")"
		else
			echo "ok"
		fi
	done >"$TMPD/checks"
	grep '^FAIL' "$TMPD/checks"
	pass=$((pass + $(grep -c '^ok' "$TMPD/checks")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/checks")))
}

for bin in "$B/cyanprobe" "$B/asan/cyanprobe"; do
	if [ -x "$bin" ]; then
		check_plans "$bin"
	else
		echo "SKIP check: no $bin (make B=$B tests)"
	fi
done

# The plans that pass `qa check` pass the published schema too, and a few
# that fail it fail the schema as well: the schema says what the code does.
if python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	for f in tests/qa/plans/*.yaml; do
		if python3 - "$f" <<'PY' 2>"$TMPD/err"; then ok; else no "schema/$f: $(head -c 300 "$TMPD/err")"; fi
import json, sys, yaml, jsonschema
s = json.load(open("docs/qa-plan.schema.json"))
jsonschema.Draft202012Validator.check_schema(s)
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), s)
PY
	done
	for f in cred-value cred-env-name unknown-key no-firmware bad-id \
	    unknown-hook bad-schema no-routers bad-exclusive; do
		if python3 - "tests/qa/bad/$f.yaml" <<'PY' 2>/dev/null; then no "schema/$f: the schema accepts a plan qa check refuses"; else ok; fi
import json, sys, yaml, jsonschema
s = json.load(open("docs/qa-plan.schema.json"))
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), s)
PY
	done
else
	echo "SKIP schema: needs python3-jsonschema and python3-yaml"
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
