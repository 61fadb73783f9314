#!/bin/sh
# suite.sh - end-to-end tests of the cyanprobe binary as users run it:
# --help/--version, `explain` (the issue's three examples in text and JSON,
# words, --list, the forum Markdown), exit codes and error messages, broken
# rules folders, colour only on a terminal, and `make install` into a
# DESTDIR whose binary finds its own rules with the source tree out of
# reach, then `make uninstall`.  Prints FAIL/SKIP lines and the tally.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
BIN="$B/cyanprobe"
SRC=$(pwd)

pass=0 fail=0
tmp=$(mktemp -d)
holder=""
trap 'rm -rf "$tmp"; [ -z "$holder" ] || kill "$holder" 2>/dev/null' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1"
	[ $# -gt 1 ] && printf '     %s\n' "$2"
	return 0
}

# run ARGS...: run the binary, keep stdout, stderr and status.
run() {
	"$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_rc NAME WANT: the last run's exit status.
expect_rc() {
	if [ "$rc" -eq "$2" ]; then ok; else
		bad "$1: exit status" "expected $2, got $rc; stderr: $(head -c 300 "$tmp/err")"
	fi
}

# expect_out NAME FILE TEXT: FILE (out or err) contains TEXT.
expect_in() {
	if grep -qF -- "$3" "$tmp/$2"; then ok; else
		bad "$1: $2 lacks \"$3\"" "got: $(head -c 400 "$tmp/$2")"
	fi
}

expect_not_in() {
	if grep -qF -- "$3" "$tmp/$2"; then
		bad "$1: $2 has \"$3\""
	else ok; fi
}

# expect_json NAME PYTHON-EXPR: the expression over d (stdout as JSON) is true.
expect_json() {
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$tmp/out" 2>"$tmp/pyerr"; then
		ok
	else
		bad "$1: JSON check failed: $2" "$(head -c 300 "$tmp/pyerr") $(head -c 300 "$tmp/out")"
	fi
}

# verbose CMD -- ARGS...: run CMD ARGS without -v, then CMD -v ARGS; the
# same stdout and exit status, nothing on stderr without it; the -v run's
# stderr is left in $tmp/err for the caller's expect_in.  VIN=FILE: both
# runs read FILE on standard input.  VMASK=json or text: durations masked
# before comparing (json_mask.py; "N ms", "N.N s"), for a report that
# times what it did.
verbose() {
	vcmd=""
	while [ "$1" != "--" ]; do vcmd="$vcmd $1"; shift; done
	shift
	# shellcheck disable=SC2086
	run $vcmd "$@" <"${VIN:-/dev/null}"
	cp "$tmp/out" "$tmp/out.plain"
	vrc=$rc
	[ -s "$tmp/err" ] && bad "$vcmd without -v wrote to stderr" \
	    "$(head -c 200 "$tmp/err")" || ok
	# shellcheck disable=SC2086
	run $vcmd -v "$@" <"${VIN:-/dev/null}"
	[ "$rc" -eq "$vrc" ] && ok || bad "$vcmd -v: exit $rc, without -v $vrc"
	for f in out out.plain; do
		case ${VMASK:-} in
		json)	python3 tests/cli/json_mask.py "$tmp/$f" "$tmp/$f.m" ;;
		text)	sed -E 's/[0-9]+ ms\b/N ms/g; s/[0-9]+\.[0-9]+( ?)s\b/N.N\1s/g' \
			    "$tmp/$f" >"$tmp/$f.m" ;;
		*)	cp "$tmp/$f" "$tmp/$f.m" ;;
		esac
	done
	cmp -s "$tmp/out.m" "$tmp/out.plain.m" && ok ||
	    bad "$vcmd -v changed standard output" \
	    "$(diff "$tmp/out.plain.m" "$tmp/out.m" | head -n 5)"
}
if [ ! -x "$BIN" ]; then
	echo "FAIL cli: $BIN is not built"
	echo "# 0 passed, 1 failed"
	exit 1
fi
unset CYANPROBE_RULES
export NO_COLOR=1 CYANPROBE_FAKE_TIME=1700000000
# A python3 with Debian's python3-junitparser (one earlier on PATH may lack
# it): the JUnit XML is read by a real consumer, or a SKIP line says not.
PYJ=""
for py in /usr/bin/python3 python3; do
	if "$py" -c 'import junitparser' 2>/dev/null; then PYJ=$py; break; fi
done
[ -n "$PYJ" ] || echo "SKIP cli: no python3 with junitparser (make deps); JUnit read by ElementTree only"

# --- global options ----------------------------------------------------------
run --help;	expect_rc "--help" 0; expect_in "--help" out "explain"
run --version;	expect_rc "--version" 0; expect_in "--version" out "cyanprobe 0."
run;		expect_rc "no command" 2; expect_in "no command" err "usage:"
run frobnicate;	expect_rc "unknown command" 2
expect_in "unknown command" err "cyanprobe: unknown command 'frobnicate'"
run explain --help; expect_rc "explain --help" 0; expect_in "explain --help" out "--blinks"
expect_in "explain --help" out "--no-redact"

# --- the issue's three examples ----------------------------------------------
run explain --device core --firmware 0.3.4 --color red --blinks 3
expect_rc "core 0.3.4 red 3" 1
expect_in "core 0.3.4 red 3" out "Stage:   cloud (fails: cloud)"
expect_in "core 0.3.4 red 3" out "3 red blinks"
expect_in "core 0.3.4 red 3" out "1. cloud.port_blocked"
run explain --device core --firmware 0.3.4 --color red --blinks 3 --json
expect_rc "core 0.3.4 red 3 --json" 1
if python3 -m json.tool "$tmp/out" >/dev/null 2>&1; then ok; else bad "json.tool rejects explain --json"; fi
expect_json "core json" 'd["schema"] == "cyanprobe-report/1" and d["verdict"]["stage"] == "cloud" and d["verdict"]["led"] == {"color": "red", "pattern": "blink", "count": 3}'
expect_json "core json device" 'd["device"]["profile"] == "core" and d["device"]["firmware"] == "0.3.4" and d["device"]["led_era"] == "core-2014"'
expect_json "core json source" 'd["source"]["kind"] == "explain" and d["source"]["observation"] == "3 red blinks"'
expect_json "core json keys" 'list(d) == ["schema","software","generated_at","interrupted","source","device","networks","findings","findings_dropped","facts","verdict","forum"]'
expect_json "fake time" 'd["generated_at"] == "2023-11-14T22:13:20Z"'

run explain --firmware 1.5.2 2 orange blinks
expect_rc "photon 1.5.2 orange 2" 1
expect_in "photon 1.5.2 orange 2" out "Stage:   internet (fails: internet)"
expect_in "photon 1.5.2 orange 2" out "TCP connect to 8.8.8.8:53"
run explain --firmware 1.5.2 --json "2 orange blinks"
expect_json "photon 1.5.2 json" 'd["verdict"]["stage"] == "internet" and d["verdict"]["led"]["color"] == "orange" and d["verdict"]["led"]["count"] == 2'
run explain --firmware 2.0.0 --color orange --blinks 2
expect_in "photon 2.0.0 internet test" out "look up pool.ntp.org, then NTP on UDP 123"

run explain --device photon --firmware 2.3.1 --color orange --blinks 1 --json
expect_rc "photon 2.3.1 orange 1" 1
expect_json "photon 2.3.1 json" 'd["verdict"]["stage"] == "handshake" and d["verdict"]["fail"] == "decrypt" and d["verdict"]["causes"][0]["id"] == "keys.device_key_mismatch"'
expect_json "causes carry advice" 'all(c["advice"] and c["seed"] for c in d["verdict"]["causes"])'

# --- words, exit codes ---------------------------------------------------------
run explain blinking green;	expect_rc "blinking green" 1
expect_in "blinking green" out "Stage:   wifi (fails: join)"
run explain fast cyan then red;	expect_rc "fast cyan then red" 1
expect_in "fast cyan then red" out "Stage:   handshake (fails: handshake)"
run explain --device core --firmware 0.3.4 "fast cyan then red"
expect_in "core fast cyan then red" out "1 red blink"
run explain breathing cyan;	expect_rc "breathing cyan" 0
expect_in "breathing cyan" out "Stage:   connected"
run explain --json=- breathing cyan
expect_json "breathing cyan json" 'd["verdict"]["stage"] == "connected" and d["verdict"]["fail"] == "none"'

# --- refused observations: exit 2, "cyanprobe:", the offending input -----------
run explain blinkning green
expect_rc "typo" 2; expect_in "typo" err 'cyanprobe: "blinkning green": cannot read "blinkning"'
expect_not_in "typo prints no report" out "Stage:"
run explain 3 red blinks
expect_rc "red on device os" 2; expect_in "red on device os" err "has no meaning in the device-os LED era"
run explain --device core --firmware 0.3.4 2 orange blinks
expect_rc "orange on 2014 core" 2; expect_in "orange on 2014 core" err "core-2014"
run explain blinking orange
expect_rc "ambiguous count" 2; expect_in "ambiguous count" err "count the blinks"
run explain --color red --blinks 0
expect_rc "--blinks 0" 2; expect_in "--blinks 0" err "cyanprobe: --blinks 0"
run explain --color mauve
expect_rc "--color mauve" 2; expect_in "--color mauve" err "cyanprobe: --color mauve"
run explain --color red 3 blinks
expect_rc "flags and words" 2; expect_in "flags and words" err "not both"
run explain
expect_rc "no observation" 2; expect_in "no observation" err "cyanprobe: explain: no LED observation"
run explain --firmware 9.9.9 breathing cyan
expect_rc "unknown firmware" 2; expect_in "unknown firmware" err "cyanprobe: --firmware 9.9.9"
run explain --firmware 1.x breathing cyan
expect_rc "bad firmware" 2; expect_in "bad firmware" err "cyanprobe: --firmware 1.x: not a firmware version"
run explain --device argon breathing cyan
expect_rc "unknown device" 2; expect_in "unknown device" err "cyanprobe: --device argon: unknown device (known: core, photon)"
run explain --bogus
expect_rc "unknown option" 2
expect_in "unknown option" err "cyanprobe: explain: unknown option '--bogus'"
run explain --color
expect_rc "missing value" 2
expect_in "missing value" err "cyanprobe: explain: option '--color' needs a value (see cyanprobe explain --help)"
CYANPROBE_RULES="$tmp" "$BIN" explain breathing cyan >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc "CYANPROBE_RULES without rules" 2
expect_in "CYANPROBE_RULES without rules" err "cyanprobe: CYANPROBE_RULES=$tmp: no findings.json there"

# --- --list --------------------------------------------------------------------
run explain --device core --firmware 0.3.4 --list
expect_rc "--list" 0; expect_in "--list" out "core-2014"; expect_in "--list" out "3 red blinks"
expect_not_in "--list core has no safe mode" out "safe_mode"
run explain --list --json
expect_rc "--list --json" 0
expect_json "--list json" 'd["led_era"] == "device-os" and any(s["stage"] == "safe_mode" for s in d["signals"])'
run explain --list 2 orange blinks
expect_rc "--list with words" 2

# --- forum Markdown and output files -------------------------------------------
run explain --firmware 2.3.1 --markdown 1 orange blink
expect_rc "--markdown" 1
expect_in "--markdown" out "| Router make and model | not known (give --router"
expect_in "--markdown" out "| Internet service provider | not known (give --isp NAME) |"
run explain --firmware 2.3.1 --markdown --router "Netgear R7000" --isp "Example Telecom" --environment home 1 orange blink
expect_in "--router" out "| Router make and model | Netgear R7000 |"
expect_in "--isp" out "| Internet service provider | Example Telecom |"
expect_in "--environment" out "| Environment | home |"
run explain --json="$tmp/report.json" breathing cyan
expect_rc "--json=FILE" 0
if python3 -m json.tool "$tmp/report.json" >/dev/null 2>&1; then ok; else bad "--json=FILE: not JSON"; fi
expect_in "--json=FILE: the text still on stdout" out "Stage:   connected"
run explain --json="$tmp/no/such/dir/r.json" breathing cyan
expect_rc "--json=unwritable" 3; expect_in "--json=unwritable" err "cyanprobe: $tmp/no/such/dir/r.json"

# --- several outputs in one run ------------------------------------------------
schema_ok() {	# NAME FILE...: every report in the files is valid cyanprobe-report/1
	name=$1
	shift
	if tests/helpers/schema_check.py "$@" >"$tmp/schema" 2>&1; then ok; else
		bad "$name: not valid against docs/report-schema.json" "$(head -c 600 "$tmp/schema")"
	fi
}
rm -f "$tmp"/all.*
run explain --firmware 1.5.2 --json="$tmp/all.json" --markdown="$tmp/all.md" \
    --junit="$tmp/all.xml" --json-lines="$tmp/all.jsonl" 2 orange blinks
expect_rc "four outputs" 1
expect_in "four outputs: text on stdout" out "Stage:   internet (fails: internet)"
for f in all.json all.md all.xml all.jsonl; do
	[ -s "$tmp/$f" ] && ok || bad "four outputs: $f not written"
done
grep -qF "| LED | 2 orange blinks |" "$tmp/all.md" && ok || bad "four outputs: Markdown lacks the LED"
schema_ok "four outputs: --json" "$tmp/all.json"
run explain --firmware 1.5.2 --json-lines="$tmp/all.jsonl" breathing cyan
[ "$(wc -l <"$tmp/all.jsonl")" -eq 2 ] && ok || bad "--json-lines appends one line a run" "$(wc -l <"$tmp/all.jsonl") lines"
schema_ok "--json-lines" "$tmp/all.jsonl"
if python3 - "$tmp/all.xml" >"$tmp/pyerr" 2>&1 <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1, "one testsuite per run"
cases = suites[0].findall("testcase")
assert len(cases) >= 1 and root.get("tests") == str(len(cases))
f = [c.find("failure") for c in cases if c.find("failure") is not None]
assert f and root.get("failures") == str(len(f))
assert "(LED: 2 orange blinks)" in f[0].get("message"), f[0].get("message")
assert f[0].get("type") in ("portal.detected", "internet.failed"), f[0].get("type")
props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
assert props["led"] == "2 orange blinks" and props["firmware"] == "1.5.2", props
PY
then ok; else bad "--junit: not the JUnit expected" "$(tail -3 "$tmp/pyerr")"; fi
if [ -n "$PYJ" ]; then
	"$PYJ" -c 'import junitparser,sys; x=junitparser.JUnitXml.fromfile(sys.argv[1]); sys.exit(0 if x.failures >= 1 else 1)' "$tmp/all.xml" && ok || bad "--junit: junitparser disagrees"
fi
run explain --json --markdown breathing cyan
expect_rc "--json --markdown on stdout" 2
expect_in "--json --markdown on stdout" err "cyanprobe: --json and --markdown both write to standard output"
run explain --text --json breathing cyan
expect_rc "--text --json" 2
expect_in "--text --json" err "cyanprobe: --text and --json both write to standard output"
run explain --json="$tmp/same" --junit="$tmp/same" breathing cyan
expect_rc "two outputs, one file" 2
expect_in "two outputs, one file" err "write the same file"
run explain --json="$tmp/a.json" --json="$tmp/b.json" breathing cyan
expect_rc "--json twice" 2
expect_in "--json twice" err "cyanprobe: --json given twice"
run explain --json="$tmp/jt.json" --text breathing cyan
expect_rc "--json=FILE --text" 0
expect_in "--json=FILE --text: the text on stdout" out "Stage:   connected"
schema_ok "--json=FILE --text: the JSON written" "$tmp/jt.json"
run explain --json breathing cyan
expect_not_in "--json alone: no text" out "Stage:"
schema_ok "--json on stdout" "$tmp/out"

# --- firmware not given: said in every format ------------------------------------
assumed="assumed 2.3.1, the newest; give --firmware"
run explain --json="$tmp/fw.json" --markdown="$tmp/fw.md" --junit="$tmp/fw.xml" 1 orange blink
expect_in "firmware assumed: text" out "firmware $assumed"
for f in fw.json fw.md fw.xml; do
	grep -qF "$assumed" "$tmp/$f" && ok || bad "firmware assumed: $f does not say \"$assumed\""
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["device"]; sys.exit(0 if d["firmware_assumed"] is True and d["firmware"] == "2.3.1" else 1)' "$tmp/fw.json" && ok || bad "firmware assumed: device.firmware_assumed"
run explain --firmware 2.3.1 1 orange blink
expect_not_in "firmware given: nothing assumed" out "assumed"

# --- the user's words win; captures by name; redaction by structure -----------
CAPS=${CYANPROBE_CAPTURES:-../shared/captures}
if [ -f "$CAPS/aircrack-ng/wpa2.eapol.cap" ] && [ -f "$CAPS/pcapplusplus/650HttpResponses.pcap" ]; then
	export CYANPROBE_OUI=tests/golden/oui.txt
	run analyze --ssid Harkonen --router "Linksys WRT54G v2" --isp "Example ISP" \
	    --json="$tmp/r.json" --markdown="$tmp/r.md" "$CAPS/aircrack-ng/wpa2.eapol.cap"
	python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["forum"]; sys.exit(0 if f["router"] == "Linksys WRT54G v2" and "NETGEAR" in f["router_guess"] and f["isp"] == "Example ISP" else 1)' "$tmp/r.json" && ok || bad "--router stands in JSON, the OUI guess beside it"
	grep -qF "| Router make and model | Linksys WRT54G v2 (cyanprobe's guess from the radio: NETGEAR" "$tmp/r.md" && ok || bad "--router stands in Markdown" "$(grep Router "$tmp/r.md")"
	grep -qF "| Harkonen | 00:14:6c:xx:xx:xx | 2.4 | 1 | wpa2-psk |" "$tmp/r.md" && ok || bad "Markdown networks table"
	# The text report too: the user's words first, the guess beside them
	# as a guess, each line within COLUMNS.
	COLUMNS=60 "$BIN" analyze --ssid Harkonen --router "Linksys WRT54G v2" \
	    --isp "Example ISP" --environment office \
	    "$CAPS/aircrack-ng/wpa2.eapol.cap" >"$tmp/out" 2>"$tmp/err"
	expect_in "--router stands in text" out "Router:      Linksys WRT54G v2 (cyanprobe's guess from"
	expect_in "--router guess in text" out "radio: NETGEAR (from the BSSID's OUI"
	expect_in "--isp in text" out "ISP:         Example ISP"
	expect_in "--environment in text" out "Environment: office"
	awk '/^cyanprobe /{ p = 1 } p && length($0) >= 60 { print; bad = 1 } END { exit bad }' "$tmp/out" >"$tmp/long" && ok || bad "text report (from its header) with --router fits COLUMNS=60" "$(head -c 300 "$tmp/long")"
	run analyze --ssid Harkonen "$CAPS/aircrack-ng/wpa2.eapol.cap"
	expect_in "no --router: the guess alone, marked" out "Router:      guessed from the radio: NETGEAR"
	expect_not_in "no --isp: no ISP line" out "ISP:"
	# A capture whose name looks like key material keeps its name.
	hexname=0123456789abcdef0123456789abcdef.pcap
	cp "$CAPS/pcapplusplus/650HttpResponses.pcap" "$tmp/$hexname"
	run analyze --json="$tmp/h.json" --markdown="$tmp/h.md" --no-redact "$tmp/$hexname"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["source"]["file"].endswith(sys.argv[2]) else 1)' "$tmp/h.json" "$hexname" && ok || bad "a hex-looking capture name survives in JSON"
	grep -q "key material removed" "$tmp/h.json" && bad "JSON of a capture has key material removed somewhere" "$(grep -m2 'key material removed' "$tmp/h.json")" || ok
	grep -qF "%3Fsearch%3D" "$tmp/h.json" && ok || bad "redirect URLs not mangled"
	schema_ok "analyze by name" "$tmp/h.json" "$tmp/r.json"
	unset CYANPROBE_OUI
else
	echo "SKIP cli: captures missing ($CAPS); --router and redaction by file name not checked"
fi

# --- colour only on a terminal, never with NO_COLOR ----------------------------
esc=$(printf '\033')
run explain 2 orange blinks
expect_not_in "no colour into a pipe" out "$esc["
if script -qc "true" /dev/null >/dev/null 2>&1; then
	env -u NO_COLOR script -qec "'$BIN' explain 2 orange blinks" /dev/null >"$tmp/out" 2>&1
	expect_in "colour on a terminal" out "$esc["
	NO_COLOR=1 script -qec "'$BIN' explain 2 orange blinks" /dev/null >"$tmp/out" 2>&1
	expect_not_in "NO_COLOR on a terminal" out "$esc["
else
	echo "SKIP cli: no script(1) for a terminal"
fi

# --- terminals: a real pty for TERM=dumb, NO_COLOR, widths, live progress --------
# The diagnose runs below reach only loopback: lo, 127.0.0.1 (nothing listens
# on port 9; the held port is this script's own listener).
lo_diag="diagnose --iface lo --no-dhcp --dns 127.0.0.1 --internet-test 127.0.0.1:9 --portal-url http://127.0.0.1:9/"
if python3 -c 'import pty, termios' 2>/dev/null; then
	pty_run() { tests/cli/pty_run.py "$tmp/pty" "$@"; }
	env -u NO_COLOR TERM=xterm COLUMNS=50 tests/cli/pty_run.py "$tmp/pty" "$BIN" explain --firmware 1.5.2 2 orange blinks
	grep -q "$esc\[" "$tmp/pty" && ok || bad "pty: colour on a terminal"
	tests/cli/widths.py "$tmp/pty" 50 >"$tmp/w" && ok || bad "COLUMNS=50: a line is wider" "$(head -3 "$tmp/w")"
	env -u NO_COLOR -u COLUMNS TERM=xterm PTY_COLS=60 tests/cli/pty_run.py "$tmp/pty" "$BIN" explain --firmware 1.5.2 2 orange blinks
	tests/cli/widths.py "$tmp/pty" 60 >"$tmp/w" && ok || bad "a 60-column terminal: a line is wider" "$(head -3 "$tmp/w")"
	env -u NO_COLOR TERM=dumb tests/cli/pty_run.py "$tmp/pty" "$BIN" explain 2 orange blinks
	tests/cli/widths.py "$tmp/pty" 80 --no-escapes >"$tmp/w" && ok || bad "TERM=dumb: escape codes" "$(head -3 "$tmp/w")"
	NO_COLOR=1 TERM=xterm tests/cli/pty_run.py "$tmp/pty" "$BIN" explain 2 orange blinks
	tests/cli/widths.py "$tmp/pty" 80 --no-escapes >"$tmp/w" && ok || bad "NO_COLOR: escape codes" "$(head -3 "$tmp/w")"
	# Live progress on a 40-column terminal: drawn, and never wider.
	# shellcheck disable=SC2086
	env -u NO_COLOR -u COLUMNS TERM=xterm PTY_COLS=40 tests/cli/pty_run.py "$tmp/pty" "$BIN" $lo_diag --timeout 1 --cloud 127.0.0.1:9
	grep -q "$esc\[7A" "$tmp/pty" && ok || bad "progress: not redrawn in place on a terminal"
	tests/cli/widths.py "$tmp/pty" 40 >"$tmp/w" && ok || bad "progress or report wider than a 40-column terminal" "$(head -3 "$tmp/w")"
	# shellcheck disable=SC2086
	env -u NO_COLOR TERM=dumb tests/cli/pty_run.py "$tmp/pty" "$BIN" $lo_diag --timeout 1 --cloud 127.0.0.1:9
	tests/cli/widths.py "$tmp/pty" 80 --no-escapes >"$tmp/w" && ok || bad "diagnose, TERM=dumb: escape codes" "$(head -3 "$tmp/w")"
	grep -q "Checks (" "$tmp/pty" && ok || bad "diagnose, TERM=dumb: no Checks block"
	# Progress on the terminal, the report into a file: the file keeps the checks.
	env -u NO_COLOR TERM=xterm tests/cli/pty_run.py "$tmp/pty" sh -c "'$BIN' $lo_diag --timeout 1 --cloud 127.0.0.1:9 >'$tmp/report.txt'"
	grep -q "Checks (" "$tmp/report.txt" && ok || bad "report redirected to a file lost its Checks block"
	grep -q "$esc" "$tmp/report.txt" && bad "report redirected to a file has escape codes" || ok
	grep -q "$esc\[" "$tmp/pty" && ok || bad "progress not drawn on the terminal while the report goes to a file"
else
	echo "SKIP cli: python3 pty missing; terminal behaviour not checked"
fi

# --- inconclusive (issue 10 section 4) in every output -----------------------------
# A capture of one beacon: the radio is seen, nothing after it.  Nothing
# fails, so every output must say inconclusive and name what was not seen.
if "$B/helpers/framegen" good-ap "$tmp/goodap.pcap" >"$tmp/fg.err" 2>&1; then
	run analyze --json="$tmp/inc.json" --markdown="$tmp/inc.md" \
	    --junit="$tmp/inc.xml" --json-lines="$tmp/inc.jsonl" "$tmp/goodap.pcap"
	expect_rc "inconclusive: exit status" 4
	expect_in "inconclusive: text" out "Stage:   dhcp (not observed)"
	expect_in "inconclusive: text LED" out "LED:     not known (no evidence)"
	expect_in "inconclusive: text evidence" out "Seen:    ok: wifi; not observed: dhcp, internet, cloud"
	expect_not_in "inconclusive: text never says no problem" out "No problem found"
	grep -qF "## Particle Photon: inconclusive, not observed: dhcp, internet, cloud" "$tmp/inc.md" && ok || bad "inconclusive: Markdown heading" "$(head -2 "$tmp/inc.md")"
	grep -qF "| What the verdict rests on | ok: wifi; not observed: dhcp, internet, cloud |" "$tmp/inc.md" && ok || bad "inconclusive: Markdown evidence row"
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; sys.exit(0 if v["state"] == "inconclusive" and v["led"] is None and v["not_observed"] == ["dhcp", "internet", "cloud"] and v["evidence"] == {"wifi": "ok", "dhcp": "not_observed", "internet": "not_observed", "cloud": "not_observed"} else 1)' "$tmp/inc.json" && ok || bad "inconclusive: JSON verdict" "$(grep -A3 '"state"' "$tmp/inc.json")"
	if python3 - "$tmp/inc.xml" >"$tmp/pyerr" 2>&1 <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
assert root.get("failures") == "0" and root.get("skipped") == "1", root.attrib
case = [c for c in suite.findall("testcase") if c.get("name") == "verdict"]
assert len(case) == 1, "one verdict case"
sk = case[0].find("skipped")
assert sk is not None and sk.get("message") == "inconclusive, not observed: dhcp, internet, cloud", sk
props = {p.get("name"): p.get("value") for p in suite.iter("property")}
assert props["state"] == "inconclusive" and props["not_observed"] == "dhcp, internet, cloud", props
PY
	then ok; else bad "inconclusive: JUnit" "$(tail -3 "$tmp/pyerr")"; fi
	if [ -n "$PYJ" ]; then
		"$PYJ" - "$tmp/inc.xml" >"$tmp/pyerr" 2>&1 <<'PY' && ok || bad "inconclusive: junitparser disagrees" "$(tail -3 "$tmp/pyerr")"
import sys
from junitparser import JUnitXml, Skipped
x = JUnitXml.fromfile(sys.argv[1])
assert x.failures == 0 and x.errors == 0 and x.skipped == 1, (x.failures, x.errors, x.skipped)
cases = [c for s in x for c in s]
v = [c for c in cases if c.name == "verdict"]
assert len(v) == 1 and not v[0].is_passed and v[0].is_skipped, v
r = v[0].result
assert len(r) == 1 and isinstance(r[0], Skipped), r
assert r[0].message == "inconclusive, not observed: dhcp, internet, cloud", r[0].message
PY
	fi
	schema_ok "inconclusive" "$tmp/inc.json" "$tmp/inc.jsonl"
	# A failing capture is a problem in JUnit too, never skipped.
	"$B/helpers/framegen" dhcp-no-offer "$tmp/nooffer.pcap" >/dev/null 2>&1
	run analyze --junit="$tmp/prob.xml" --json="$tmp/prob.json" "$tmp/nooffer.pcap"
	expect_rc "problem: exit status" 1
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; sys.exit(0 if v["state"] == "problem" and v["led"] is not None else 1)' "$tmp/prob.json" && ok || bad "problem: JSON verdict state"
	grep -q '<failure ' "$tmp/prob.xml" && ok || bad "problem: JUnit has no failure"
	grep -q '<testcase [^>]*name="verdict"' "$tmp/prob.xml" && bad "problem: JUnit has an inconclusive verdict case" || ok
else
	bad "framegen good-ap" "$(head -3 "$tmp/fg.err")"
fi

# --- a full station table (issue 11 item 3) in every format ---------------------
# 300 stations join a neighbour (synthetic), then the device fails HomeNet's
# 4-way: with --ssid its join is kept in the reserve, so the wrong password
# is found, and every format says what was not kept and that HomeNet's
# joins were kept whole.
if "$B/helpers/framegen" crowded-stations "$tmp/cs.pcap" >/dev/null 2>&1; then
	run analyze --ssid=HomeNet --json="$tmp/cs.json" --markdown="$tmp/cs.md" "$tmp/cs.pcap"
	expect_rc "crowded stations: exit status" 1
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/flat"
	for f in "$tmp/flat" "$tmp/cs.md" "$tmp/cs.json"; do
		grep -qF "station joins (steps): table of 256 full, 304 not kept" "$f" && ok || bad "crowded stations: $(basename "$f") does not say the station table filled"
		grep -qF 'the joins with \"HomeNet\" were kept whole' "$f" || grep -qF 'the joins with "HomeNet" were kept whole' "$f" && ok || bad "crowded stations: $(basename "$f") does not say HomeNet was kept whole"
		grep -qF "wifi.wrong_password" "$f" && ok || bad "crowded stations: $(basename "$f") lost the wrong password"
	done
	run analyze --json "$tmp/cs.pcap"
	expect_json "crowded stations without --ssid: no reserve, the join is not kept" 'd["facts"]["wifi"]["stations_total"] == 256 and "wifi.wrong_password" not in [f["id"] for f in d["findings"]] and "capture.table_full" in [f["id"] for f in d["findings"]]'
else
	bad "framegen crowded-stations"
fi
# The device's join starts before any beacon of HomeNet's AP (its network
# not known yet) while the neighbour's stations hold every other slot: it
# takes a reserve slot and keeps it once the beacon names HomeNet (the old
# code dropped its 4-way and said "kept whole").  Then a neighbour that
# never beacons fills the whole table: the device's station takes one of
# their slots, and the report says HomeNet's joins may be among those not
# kept, as those stations' network was never known.
if "$B/helpers/framegen" crowded-stations-late "$tmp/csl.pcap" >/dev/null 2>&1 &&
    "$B/helpers/framegen" crowded-stations-unbeaconed "$tmp/csu.pcap" >/dev/null 2>&1; then
	run analyze --ssid=HomeNet --json="$tmp/csl.json" --markdown="$tmp/csl.md" "$tmp/csl.pcap"
	expect_rc "late beacon: exit status" 1
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/flat"
	for f in "$tmp/flat" "$tmp/csl.md" "$tmp/csl.json"; do
		grep -qF "wifi.wrong_password" "$f" && ok || bad "late beacon: $(basename "$f") lost the wrong password"
		grep -qF 'the joins with \"HomeNet\" were kept whole' "$f" || grep -qF 'the joins with "HomeNet" were kept whole' "$f" && ok || bad "late beacon: $(basename "$f") does not say HomeNet was kept whole"
	done
	cp "$tmp/csl.json" "$tmp/out"
	expect_json "late beacon: the device's whole join kept" '[(s["mac"], s["state"], s["eapol"]["m2"], s["steps"][0]["step"]) for s in d["facts"]["wifi"]["stations"][:1]] == [("6c:0b:84:11:22:33", "wrong-password", 4, "auth")] and d["facts"]["wifi"]["overflow"]["stations_unknown"] == 0'
	run analyze --ssid=HomeNet --json="$tmp/csu.json" --markdown="$tmp/csu.md" "$tmp/csu.pcap"
	expect_rc "unbeaconed crowd: exit status" 1
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/flat"
	for f in "$tmp/flat" "$tmp/csu.md" "$tmp/csu.json"; do
		grep -qF "wifi.wrong_password" "$f" && ok || bad "unbeaconed crowd: $(basename "$f") lost the wrong password"
		grep -qF 'may be among the stations not kept (met before any beacon of their access point)' "$f" && ok || bad "unbeaconed crowd: $(basename "$f") does not say joins may be lost"
	done
	cp "$tmp/csu.json" "$tmp/out"
	expect_json "unbeaconed crowd: counted as unknown" 'd["facts"]["wifi"]["overflow"]["stations_unknown"] == d["facts"]["wifi"]["overflow"]["stations"] > 0 and d["facts"]["wifi"]["overflow"]["stations_wanted"] == 0 and d["facts"]["wifi"]["stations_total"] == 256'
else
	bad "framegen crowded-stations-late/unbeaconed"
fi
# A station's join of more than 32 steps lists only its last 32
# (steps_dropped in the JSON): every format says so, with the --ssid
# network's station first (synthetic: the device refused ten times, 48
# steps; a neighbour's station 36).
if "$B/helpers/framegen" join-many-retries "$tmp/jmr.pcap" >/dev/null 2>&1; then
	run analyze --ssid=HomeNet --json="$tmp/jmr.json" --markdown="$tmp/jmr.md" --junit="$tmp/jmr.xml" "$tmp/jmr.pcap"
	expect_rc "steps dropped: exit status (inconclusive)" 4
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/flat"
	for f in "$tmp/flat" "$tmp/jmr.md" "$tmp/jmr.json" "$tmp/jmr.xml"; do
		grep -qF "capture.steps_dropped" "$f" && ok || bad "steps dropped: $(basename "$f") does not name capture.steps_dropped"
		grep -qF "2 station(s) took more than 32 join steps, 20 earlier step(s) not listed" "$f" && ok || bad "steps dropped: $(basename "$f") does not count them"
		grep -qE "6c:0b:84:[0-9a-fx:]{8} with 00:12:bf:[0-9a-fx:]{8} \(the --ssid network\): 48 steps, the first 16 not listed; 02:5a:00:[0-9a-fx:]{8} with 02:12:bf:[0-9a-fx:]{8}: 36 steps, the first 4 not listed" "$f" && ok || bad "steps dropped: $(basename "$f") does not name the stations, the --ssid one first"
	done
	run analyze --json "$tmp/jmr.pcap"
	expect_json "steps dropped: JSON counts and finding agree" '[s["steps_dropped"] for s in d["facts"]["wifi"]["stations"]] == [4, 16] and [f["severity"] for f in d["findings"] if f["id"] == "capture.steps_dropped"] == ["info"]'
else
	bad "framegen join-many-retries"
fi

# --- text: each finding once, no jargon labels; Markdown bullets -------------------
run explain --firmware 1.5.2 2 orange blinks
expect_not_in "explain: no jargon label" out "seed:"
expect_in "explain: the guide's section, named" out "guide: "
if "$B/helpers/framegen" weak-signal "$tmp/weak.pcap" >/dev/null 2>&1; then
	run analyze --markdown="$tmp/weak.md" "$tmp/weak.pcap"
	grep -qx "### Settings that diverge from the norm" "$tmp/weak.md" && ok || bad "Markdown: no divergent settings heading"
	grep -qF -- "- The access point's signal is weak where the device is. (network \"FarAway\"" "$tmp/weak.md" && ok || bad "Markdown: the divergent setting is no bullet" "$(grep -A3 diverge "$tmp/weak.md")"
	grep -qF "| Settings that diverge from the norm | 1, listed below |" "$tmp/weak.md" && ok || bad "Markdown: the field does not point at the bullets"
fi
if [ -f "$CAPS/tcpdump/ieee802.11_meshid.pcap" ]; then
	# A 5 GHz, 80 MHz network: the width warning says so, and no finding
	# shows twice although two are causes and one is not.
	run analyze --json="$tmp/mesh.json" "$CAPS/tcpdump/ieee802.11_meshid.pcap"
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/flat"
	grep -qF "80 MHz wide channel on 5 GHz (channel 149)" "$tmp/flat" && ok || bad "width warning: not the network's band and width" "$(grep -A4 width_unsupported "$tmp/out")"
	grep -qF "2.4 GHz network uses 40 MHz" "$tmp/flat" && bad "width warning still says 2.4 GHz/40 MHz" || ok
	if python3 - "$tmp/mesh.json" "$tmp/out" >"$tmp/pyerr" 2>&1 <<'PY'
import json, re, sys
ids = [f["id"] for f in json.load(open(sys.argv[1]))["findings"]]
text = open(sys.argv[2]).read()
# The report, not the networks table above it (its "why not" column
# names the blocking ids as a reference).
text = text[text.index("\ncyanprobe "):]
assert len(ids) >= 3, ids
for i in set(ids):
    n = len(re.findall(r"(?<![\w.])" + re.escape(i) + r"(?![\w.])", text))
    assert n == ids.count(i), "%s printed %d times" % (i, n)
PY
	then ok; else bad "text: a finding printed twice" "$(tail -2 "$tmp/pyerr")"; fi
else
	echo "SKIP cli: captures missing ($CAPS); the width warning and each-finding-once checks on a real capture not run"
fi

# --- Ctrl-C during diagnose: the report of what finished, to every output -----
python3 - "$tmp/port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held, end = [], time.time() + 30
s.settimeout(0.2)
while time.time() < end:   # accept, then say nothing: the cloud check waits
    try:
        held.append(s.accept())
        open(sys.argv[1] + ".held", "w").close()
    except OSError:
        pass
PY
holder=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port" 2>/dev/null)
# -v: stderr says when the link check is done.  The Ctrl-C comes once it
# is and the cloud check holds its connection (events, not a fixed sleep:
# a loaded machine may not be there yet after any given time).
# shellcheck disable=SC2086
"$BIN" $lo_diag -v --timeout 20 --cloud "127.0.0.1:$port" \
    --json="$tmp/int.json" --junit="$tmp/int.xml" --markdown="$tmp/int.md" \
    --json-lines="$tmp/int.jsonl" >"$tmp/out" 2>"$tmp/err" &
dpid=$!
i=0
while { [ ! -e "$tmp/port.held" ] || ! grep -q 'link check' "$tmp/err"; } &&
    [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
start=$(date +%s)
kill -INT "$dpid"
wait "$dpid"
rc=$?
took=$(( $(date +%s) - start ))
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=""
expect_rc "Ctrl-C: exit status" 130
# At once; the bound is halfway to the cloud check's 20 s deadline, which
# a Ctrl-C that did not stop the wait would run to.
[ "$took" -lt 10 ] && ok || bad "Ctrl-C: took ${took}s to stop (the cloud check's deadline is 20 s)"
expect_in "Ctrl-C: text" out "INTERRUPTED"
expect_in "Ctrl-C: text keeps the checks" out "interrupted"
for f in int.json int.xml int.md int.jsonl; do
	[ -s "$tmp/$f" ] && ok || bad "Ctrl-C: $f not written"
done
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["facts"]["run"]; sys.exit(0 if d["interrupted"] is True and r["cloud"]["status"] == "interrupted" and r["link"]["status"] != "interrupted" and "cloud" in d["verdict"]["not_observed"] else 1)' "$tmp/int.json" && ok || bad "Ctrl-C: JSON not marked interrupted" "$(head -c 300 "$tmp/int.json")"
grep -q '<property name="interrupted" value="true"/>' "$tmp/int.xml" && ok || bad "Ctrl-C: JUnit not marked interrupted"
grep -q '<testcase classname="cyanprobe.diagnose" name="cloud"' "$tmp/int.xml" && ok || bad "Ctrl-C: JUnit lacks the cloud case"
grep -q '^\*\*Interrupted\*\*' "$tmp/int.md" && ok || bad "Ctrl-C: Markdown not marked interrupted"
schema_ok "Ctrl-C: reports" "$tmp/int.json" "$tmp/int.jsonl"

# --- rules folders -------------------------------------------------------------
mkdir -p "$tmp/rules/devices"
cp rules/devices/*.json "$tmp/rules/devices/"
sed 's/"stage": "cloud"/"stage": "clod"/' rules/findings.json >"$tmp/rules/findings.json"
run explain --rules "$tmp/rules" breathing cyan
expect_rc "broken rules" 2
expect_in "broken rules" err "cyanprobe: $tmp/rules/findings.json: \$.findings["
expect_in "broken rules" err '].stage: unknown stage "clod"'
CYANPROBE_RULES="$tmp/rules" "$BIN" explain breathing cyan >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc "broken rules via CYANPROBE_RULES" 2
cp rules/findings.json "$tmp/rules/findings.json"
printf '{"schema":"cyanprobe-device/1","name":"x","nonsense":1}' >"$tmp/rules/devices/zz.json"
run explain --rules "$tmp/rules" breathing cyan
expect_rc "broken profile" 2
expect_in "broken profile" err "cyanprobe: $tmp/rules/devices/zz.json: \$.nonsense: unknown key \"nonsense\""
rm "$tmp/rules/devices/zz.json"
run explain --rules "$tmp/rules" breathing cyan
expect_rc "good copy of the rules" 0
run explain --rules "$tmp/nowhere" breathing cyan
expect_rc "missing rules folder" 2; expect_in "missing rules folder" err "cyanprobe: $tmp/nowhere/findings.json"

# --- golden outputs, plain and ASan+UBSan builds (tests/cli/GOLDEN) ------------
for bin in "$BIN" "$B/asan/cyanprobe"; do
	if [ ! -x "$bin" ]; then
		echo "SKIP cli golden: $bin is not built"
		continue
	fi
	grep -v '^#' tests/cli/GOLDEN | while read -r name file args; do
		[ -n "$name" ] || continue
		# shellcheck disable=SC2086
		"$bin" explain --rules rules $args >"$tmp/golden" 2>"$tmp/gerr"
		if cmp -s "$tmp/golden" "tests/cli/expected/$file"; then
			echo "ok"
		else
			echo "FAIL golden $name ($(basename "$(dirname "$bin")")/$(basename "$bin")): output differs from tests/cli/expected/$file"
			diff "tests/cli/expected/$file" "$tmp/golden" | head -10 | sed 's/^/     /'
			head -5 "$tmp/gerr" | sed 's/^/     /'
		fi
	done >"$tmp/glog"
	pass=$((pass + $(grep -c '^ok$' "$tmp/glog")))
	fail=$((fail + $(grep -c '^FAIL' "$tmp/glog")))
	grep -v '^ok$' "$tmp/glog"
	# Whole diagnose runs in the lab's namespaces, DHCP from a stock
	# dnsmasq included: text, Markdown, JUnit, JSON.
	rm -rf "$tmp/dg"
	tests/cli/diag_golden.sh "$bin" "$tmp/dg" >"$tmp/dgstatus" 2>&1
	dg=$?
	if [ "$dg" -eq 77 ]; then
		echo "SKIP cli diagnose golden: $(cat "$tmp/dgstatus")"
		continue
	fi
	tag="$(basename "$(dirname "$bin")")/$(basename "$bin")"
	if [ "$dg" -eq 0 ] && grep -qx "healthy exit 0" "$tmp/dgstatus" &&
	    grep -qx "inconclusive exit 4" "$tmp/dgstatus" &&
	    grep -qx "cloud-refused exit 1" "$tmp/dgstatus" &&
	    [ "$(wc -l <"$tmp/dgstatus")" -eq 3 ]; then ok; else
		bad "diagnose golden ($tag): runs" "$(head -c 400 "$tmp/dgstatus")"
	fi
	for f in tests/cli/expected/diagnose-*; do
		if cmp -s "$f" "$tmp/dg/$(basename "$f")"; then ok; else
			bad "diagnose golden ($tag): differs from $f" \
			    "$(diff "$f" "$tmp/dg/$(basename "$f")" | head -10)"
		fi
	done
	# The user's forum fields through the whole diagnose path: text lines
	# under the header, the Markdown table, JSON; none given: the text
	# names them in one line, the Markdown keeps its template rows.
	d="$tmp/dg/diagnose-cloud-refused"
	for l in "Router:      Linksys WRT54G v2" "ISP:         Example Cable" "Environment: home"; do
		sed -n 2,4p "$d.txt" | grep -qxF "$l" && ok || bad "diagnose text ($tag): no '$l' under the header" "$(head -5 "$d.txt")"
	done
	grep -q "^Not given:" "$d.txt" && bad "diagnose text ($tag): 'Not given' with every field given" || ok
	grep -qF "| Router make and model | Linksys WRT54G v2 |" "$d.md" && grep -qF "| Internet service provider | Example Cable |" "$d.md" && grep -qF "| Environment | home |" "$d.md" && ok || bad "diagnose Markdown ($tag): the user's fields"
	python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["forum"]; sys.exit(0 if (f["router"], f["isp"], f["environment"]) == ("Linksys WRT54G v2", "Example Cable", "home") else 1)' "$d.json" && ok || bad "diagnose JSON ($tag): the user's forum fields"
	# The DHCP check ran against the lab's dnsmasq and every format
	# shows it (the goldens above hold the whole of it; these say what
	# must be there whatever a regenerated golden holds).
	h="$tmp/dg/diagnose-healthy"
	grep -qE "^  dhcp +passed +N\.Ns +192\.168\.77\.1 offered 192\.168\.77\.[0-9]+ after N\.N s$" "$h.txt" && ok || bad "diagnose golden ($tag): the text has no passed DHCP check" "$(grep dhcp "$h.txt" | head -3)"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["facts"]["dhcp"]; sys.exit(0 if f["servers"] == 1 and f["offers"][0]["server"] == "192.168.77.1" and f["offers"][0]["routers"] == ["192.168.77.1"] and d["facts"]["dns"]["servers_source"] == "dhcp" and d["verdict"]["state"] == "ok" and d["verdict"]["evidence"]["dhcp"] == "ok" else 1)' "$h.json" && ok || bad "diagnose golden ($tag): the JSON has no DHCP offer from the lab's dnsmasq"
	grep -qF "| dhcp | passed |" "$h.md" && ok || bad "diagnose golden ($tag): the Markdown checks table has no passed DHCP row" "$(grep -i dhcp "$h.md" | head -3)"
	# The JUnit of the runs as a CI system reads it (junitparser):
	# inconclusive is no failure, but not a pass either (the verdict case
	# is skipped, beside the skipped wifi and dhcp checks); a refused cloud
	# is a failure and has no verdict case; the healthy run passes every
	# check but wifi (skipped: eth0 is not wireless).
	if [ -n "$PYJ" ]; then
		"$PYJ" - "$tmp/dg/diagnose-inconclusive.xml" "$d.xml" "$h.xml" >"$tmp/pyerr" 2>&1 <<'PY' && ok || bad "diagnose JUnit ($tag): junitparser" "$(tail -3 "$tmp/pyerr")"
import sys
from junitparser import JUnitXml
inc, bad, good = (JUnitXml.fromfile(p) for p in sys.argv[1:4])
assert (good.tests, good.failures, good.errors, good.skipped) == (7, 0, 0, 1), (good.tests, good.failures, good.errors, good.skipped)
assert [c.name for s in good for c in s if c.is_skipped] == ["wifi"]
assert [c for s in good for c in s if c.name == "dhcp"][0].is_passed
assert (inc.tests, inc.failures, inc.errors, inc.skipped) == (8, 0, 0, 3), (inc.tests, inc.failures, inc.errors, inc.skipped)
skipped = sorted(c.name for s in inc for c in s if c.is_skipped)
assert skipped == ["dhcp", "verdict", "wifi"], skipped
assert bad.failures >= 1 and bad.errors == 0, (bad.failures, bad.errors)
names = [c.name for s in bad for c in s]
assert "verdict" not in names and "cloud" in names, names
assert [c for s in bad for c in s if c.name == "cloud"][0].is_passed is False
PY
	fi
	d="$tmp/dg/diagnose-inconclusive"
	grep -qxF "Not given:   --router, --isp, --environment (the forum post, --markdown, asks for them)" "$d.txt" && ok || bad "diagnose text ($tag): no 'Not given' line" "$(head -4 "$d.txt")"
	grep -qF '| Internet service provider | not known (give --isp NAME) |' "$d.md" && ok || bad "diagnose Markdown ($tag): the ISP row is not kept for the user to fill"
done

# --- install, run with the source tree out of reach, uninstall ------------------
# On a copy of the build folder, so that PREFIX changes rebuild nothing of
# the caller's: the compiled-in data folder follows PREFIX, and only
# rules_load.o is rebuilt for it.
dest="$tmp/dest" cb="$tmp/b"
mkdir -p "$cb"
cp -a "$B/probe" "$B/analyzers" "$B/firmware-agent" "$B/libcyanprobe.a" \
    "$B/cyanprobe" "$cb/" 2>/dev/null
[ -f "$B/datadir.stamp" ] && cp -a "$B/datadir.stamp" "$cb/"
if make -s B="$cb" install DESTDIR="$dest" PREFIX=/usr >"$tmp/make.log" 2>&1; then
	ok
	for f in usr/bin/cyanprobe usr/share/man/man1/cyanprobe.1 \
	    usr/share/cyanprobe/rules/findings.json \
	    usr/share/cyanprobe/rules/devices/photon.json \
	    usr/share/cyanprobe/rules/devices/core.json \
	    usr/share/doc/cyanprobe/README.md \
	    usr/share/doc/cyanprobe/report-schema.md \
	    usr/share/doc/cyanprobe/diagnose.md; do
		[ -f "$dest/$f" ] && ok || bad "install: $f missing"
	done
	[ "$(cat "$cb/datadir.stamp")" = /usr/share/cyanprobe ] && ok ||
	    bad "install PREFIX=/usr: the data folder stamp is not /usr/share/cyanprobe"
	strings "$cb/cyanprobe" | grep -qx '/usr/share/cyanprobe/rules' && ok ||
	    bad "install PREFIX=/usr: the binary was not rebuilt for it"
	# Mark the installed rules, so the output proves which copy was read.
	sed -i 's/Outbound TCP port 5683 to the Particle cloud is blocked/INSTALLED-COPY port 5683 blocked/' \
	    "$dest/usr/share/cyanprobe/rules/findings.json"
	(cd / && env -i PATH=/usr/bin:/bin NO_COLOR=1 \
	    "$dest/usr/bin/cyanprobe" explain --device core --firmware 0.3.4 \
	    --color red --blinks 3) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc "installed binary" 1
	expect_in "installed binary reads the installed rules" out "INSTALLED-COPY port 5683 blocked"
	if make -s B="$cb" uninstall DESTDIR="$dest" PREFIX=/usr >"$tmp/make.log" 2>&1; then
		ok
		left=$(find "$dest" -type f | head -5)
		[ -z "$left" ] && ok || bad "uninstall left files" "$left"
	else
		bad "make uninstall" "$(tail -5 "$tmp/make.log")"
	fi
else
	bad "make install" "$(tail -5 "$tmp/make.log")"
fi
# Installed under a real PREFIX, the binary finds its rules by the
# compiled-in folder even when moved away from PREFIX/bin.
pfx="$tmp/prefix"
if make -s B="$cb" install PREFIX="$pfx" >"$tmp/make.log" 2>&1; then
	# Deep enough that no rules folder sits at ../ or ../../ of it.
	mkdir -p "$tmp/elsewhere/a/bin"
	cp "$pfx/bin/cyanprobe" "$tmp/elsewhere/a/bin/cyanprobe"
	sed -i 's/Outbound TCP port 5683 to the Particle cloud is blocked/PREFIX-COPY port 5683 blocked/' \
	    "$pfx/share/cyanprobe/rules/findings.json"
	(cd / && env -i PATH=/usr/bin:/bin NO_COLOR=1 \
	    "$tmp/elsewhere/a/bin/cyanprobe" explain --device core --firmware 0.3.4 \
	    --color red --blinks 3) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc "binary away from PREFIX" 1
	expect_in "binary away from PREFIX reads PREFIX/share/cyanprobe/rules" out "PREFIX-COPY port 5683 blocked"
else
	bad "make install PREFIX=$pfx" "$(tail -5 "$tmp/make.log")"
fi
cd "$SRC" || exit 3

# --- make deps: quiet, one line a step, the log's path on failure ----------------
# apt-get cannot install anything here (no network in tests): a stand-in
# apt-get that prints as much as the real one and fails when asked to.
fb="$tmp/fakebin" dt="$tmp/depslog"
mkdir -p "$fb" "$dt"
cat >"$fb/dpkg-query" <<'EOF'
#!/bin/sh
for a; do p=$a; done
[ "$p" = tcpdump ] && exit 1
printf 'install ok installed'
EOF
cat >"$fb/apt-get" <<'EOF'
#!/bin/sh
i=0
while [ $i -lt 700 ]; do echo "Unpacking thing-$i ..."; i=$((i + 1)); done
case " $* " in *" install "*) [ -n "${FAIL_INSTALL:-}" ] && { echo "E: Unable to locate package tcpdump"; exit 100; } ;; esac
exit 0
EOF
printf '#!/bin/sh\ncat >/dev/null\n' >"$fb/debconf-set-selections"
chmod +x "$fb/dpkg-query" "$fb/apt-get" "$fb/debconf-set-selections"
if [ "$(id -u)" -eq 0 ]; then
	PATH="$fb:$PATH" TMPDIR="$dt" tools/deps.sh >"$tmp/out" 2>"$tmp/err"; rc=$?
	expect_rc "deps: install" 0
	[ "$(wc -l <"$tmp/out")" -eq 4 ] && ok || bad "deps: not one line a step" "$(head -c 400 "$tmp/out")"
	expect_in "deps: install" out "deps: 1 package(s) to install: tcpdump"
	[ -z "$(ls "$dt")" ] && ok || bad "deps: the log of a good install was left behind"
	PATH="$fb:$PATH" TMPDIR="$dt" FAIL_INSTALL=1 tools/deps.sh >"$tmp/out" 2>"$tmp/err"; rc=$?
	expect_rc "deps: failed install" 1
	[ "$(wc -l <"$tmp/out")" -le 3 ] && ok || bad "deps: apt output on the terminal" "$(head -c 400 "$tmp/out")"
	expect_in "deps: failed install" err "E: Unable to locate package tcpdump"
	logf=$(sed -n 's/^deps: the full log is //p' "$tmp/err")
	case $logf in "$dt"/cyanprobe-deps.*) ok ;; *) bad "deps: no log path on failure" "$(cat "$tmp/err")" ;; esac
	[ -n "$logf" ] && [ "$(grep -c '^Unpacking' "$logf")" -eq 1400 ] && ok ||
	    bad "deps: the log lacks apt's output"
else
	echo "SKIP cli: deps.sh checks need root"
fi
grep -qw tcpdump tools/deps.sh && ok || bad "deps: tcpdump (README examples) not installed by make deps"
# A minbase Debian has neither make nor git: the README installs them
# first, and says how to point the tests at the captures.
grep -qF 'apt-get install -y make git' README.md && ok || bad "README: no 'apt-get install -y make git' before make"
grep -qF 'CYANPROBE_CAPTURES=/path/to/captures make check' README.md && ok || bad "README: CYANPROBE_CAPTURES not documented"

# --- one consistent command line ----------------------------------------------
# Every command says the same one line about a bad option, names itself,
# and exits 2 without a usage dump.
for cmd in explain analyze diagnose scan capture handshake "keys check" \
    "keys server-region" cloud serial collect simulate-device "qa check"; do
	# shellcheck disable=SC2086
	run $cmd --no-such-option
	expect_rc "$cmd --no-such-option" 2
	want="cyanprobe: $cmd: unknown option '--no-such-option' (see cyanprobe $cmd --help)"
	[ "$(cat "$tmp/err")" = "$want" ] && ok ||
	    bad "$cmd --no-such-option: not the one line" "$(head -c 300 "$tmp/err")"
	# shellcheck disable=SC2086
	run $cmd -Q
	[ "$(cat "$tmp/err")" = "cyanprobe: $cmd: unknown option '-Q' (see cyanprobe $cmd --help)" ] &&
	    ok || bad "$cmd -Q: not the one line" "$(head -c 300 "$tmp/err")"
	# shellcheck disable=SC2086
	run $cmd --help
	expect_rc "$cmd --help" 0
	expect_in "$cmd --help lists -v" out "-v"
done
for cmd in "explain --color" "diagnose --timeout" "serial --timeout" \
    "simulate-device --timeout" "keys server-region -o" "capture -w"; do
	# shellcheck disable=SC2086
	run $cmd
	expect_rc "$cmd (no value)" 2
	name=${cmd% *} opt=${cmd##* }
	[ "$(cat "$tmp/err")" = "cyanprobe: $name: option '$opt' needs a value (see cyanprobe $name --help)" ] &&
	    ok || bad "$cmd: not the one line" "$(head -c 300 "$tmp/err")"
done
run diagnose --no-dhcp=yes
expect_in "a value for a flag" err "cyanprobe: diagnose: option '--no-dhcp' takes no value"

run -V;		expect_rc "-V" 0; expect_in "-V" out "cyanprobe 0."
run analyse x.pcap
expect_rc "did you mean analyze" 2
expect_in "did you mean analyze" err "cyanprobe: unknown command 'analyse'; did you mean 'analyze'?"
run diag
expect_in "did you mean diagnose" err "did you mean 'diagnose'?"
run explian 2 orange blinks
expect_in "did you mean explain" err "did you mean 'explain'?"
run s
expect_not_in "no guess for one letter" err "did you mean"
run --frobnicate
expect_rc "unknown global option" 2
expect_in "unknown global option" err "cyanprobe: unknown option '--frobnicate'"

# Times: seconds everywhere, or with ms; the old milliseconds are refused
# as too long rather than silently read as seconds where the limit allows.
run serial --timeout 3600001ms /dev/null identify
expect_rc "serial --timeout too long" 2
expect_in "serial --timeout too long" err "serial: --timeout: bad value '3600001ms' (seconds"
run simulate-device --timeout 1000 --quiet
expect_rc "simulate-device --timeout 1000 (s) is over 600" 2
expect_in "simulate-device --timeout 1000" err "simulate-device: --timeout: bad value '1000' (seconds, or like 500ms)"
run simulate-device --stall 2x
expect_rc "simulate-device --stall 2x" 2
run capture --iface lo -w "$tmp/x.pcapng" --dwell 100
expect_rc "capture --dwell 100 (s) is over 60" 2
expect_in "capture --dwell 100" err "capture: --dwell '100': not 10ms to 60 seconds"
run diagnose --timeout 50ms
expect_rc "diagnose --timeout 50ms: below 0.2 s" 2
run handshake --timeout 0ms --cloud x --device-key x --server-key x
expect_rc "handshake --timeout 0ms" 2

# The same name for the device everywhere; the old one says what to write.
run simulate-device --platform core
expect_rc "simulate-device --platform" 2
expect_in "simulate-device --platform" err "cyanprobe: simulate-device: --platform is now --device core"
run simulate-device --device argon
expect_rc "simulate-device --device argon" 2
expect_in "simulate-device --device argon" err "--device: unknown 'argon' (core, photon)"
run simulate-device --mac 2:c7:0:1a:2b:3c
expect_rc "simulate-device --mac with one-digit groups" 2
expect_in "simulate-device --mac" err "--mac: want AA:BB:CC:DD:EE:FF"
run diagnose --dhcp-mac 01:00:5e:00:00:01
expect_rc "diagnose --dhcp-mac group address" 2

# explain --json FILE: a word with a dot or slash is the file; any other
# word is the observation, and a refusal says how to name a file.
(cd "$tmp" && "$BIN" explain --json out.json 2 orange blinks >"$tmp/out" 2>"$tmp/err"); rc=$?
expect_rc "explain --json out.json WORDS" 1
expect_in "explain --json out.json: the text on stdout too" out "Stage:   internet"
if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d['source']['observation'] != '2 orange blinks')" "$tmp/out.json"; then
	ok; else bad "explain --json out.json: the file is not the report of 2 orange blinks"; fi
run explain 2 orange blinks --markdown "$tmp/r.md"
expect_rc "explain WORDS --markdown PATH" 1
grep -q "2 orange blinks" "$tmp/r.md" 2>/dev/null && ok || bad "--markdown PATH after the words"
run explain --json out 2 orange blinks
expect_rc "explain --json out WORDS" 2
expect_in "explain --json out WORDS" err 'cannot read "out"'
expect_in "explain --json out WORDS" err 'give --json=out'
run explain --json 2 orange blinks
expect_rc "explain --json WORDS: stdout" 1
expect_json "explain --json WORDS: stdout" 'd["source"]["observation"] == "2 orange blinks"'

# keys and the handshake say what they read and do with -v.
if openssl genrsa -out "$tmp/srv.pem" 2048 >/dev/null 2>&1 &&
    openssl rsa -in "$tmp/srv.pem" -pubout -out "$tmp/srv.pub.pem" >/dev/null 2>&1; then
	verbose keys server-region -- --key "$tmp/srv.pub.pem" --host 10.0.0.1 -o "$tmp/region.der"
	expect_rc "keys server-region -v" 0
	expect_in "keys server-region -v" err "cyanprobe: keys: $tmp/srv.pub.pem: a 294-byte DER public key"
	verbose keys check -- --server-key "$tmp/region.der"
	expect_in "keys check -v" err "cyanprobe: rules: "
	expect_in "keys check -v: the region read" err \
	    "cyanprobe: keys: $tmp/region.der: a server key region, cloud 10.0.0.1:5683"
	openssl genrsa -traditional -out "$tmp/dev.pem" 1024 >/dev/null 2>&1
	openssl rsa -in "$tmp/dev.pem" -traditional -outform DER \
	    -out "$tmp/dev.der" >/dev/null 2>&1
	verbose keys check -- --device-key "$tmp/dev.der"
	expect_in "keys check -v: the device key read" err \
	    "cyanprobe: keys: $tmp/dev.der: a device private key, 6"
	# Port 9 on loopback: nothing listens, the connect step fails at once.
	VMASK=json
	verbose handshake -- --cloud 127.0.0.1:9 --device-key "$tmp/dev.der" \
	    --device-id 53ff6f066667574852212467 \
	    --server-key "$tmp/srv.pub.pem" --timeout 1 --json
	VMASK=""
	expect_in "handshake -v: its steps" err "cyanprobe: handshake: connect: failed after"
else
	echo "SKIP cli: no openssl for the keys -v checks"
fi

# The help of every command against the manual page's SYNOPSIS: the same
# options, the same required ones, and the code asks for those.
python3 tests/cli/synopsis.py "$BIN" docs/cyanprobe.1 >"$tmp/syn" 2>&1
pass=$((pass + $(grep -c '^ok$' "$tmp/syn")))
fail=$((fail + $(grep -c '^FAIL' "$tmp/syn")))
grep -v '^ok$' "$tmp/syn"
[ "$(grep -c '^ok$' "$tmp/syn")" -ge 60 ] && ok ||
    bad "synopsis.py checked too little" "$(head -c 300 "$tmp/syn")"
# What the manual says about a missing interface is what diagnose does.
run diagnose --iface nosuch0 --no-dhcp --timeout 0.2
expect_rc "diagnose --iface nosuch0" 2
expect_in "diagnose --iface nosuch0" err "cyanprobe: diagnose: --iface: no interface 'nosuch0'"
grep -q "an \`--iface\` that does not exist is a usage error" docs/diagnose.md && ok ||
    bad "docs/diagnose.md: link.down still claims a missing interface"
# keys check needs one of the two keys, neither alone.
run keys check
expect_rc "keys check alone" 2
expect_in "keys check alone" err "give --device-key and/or --server-key"

# -v: progress on stderr, the report unchanged (docs/cyanprobe.1, -v).
verbose explain -- 2 orange blinks
expect_in "explain -v" err "cyanprobe: rules: "
expect_in "explain -v" err "cyanprobe: device: photon on firmware"
caps=${CYANPROBE_CAPTURES:-../shared/captures}
if [ -f "$caps/tcpdump/ieee802.11_meshid.pcap" ] &&
    [ -f "$caps/tcpdump/dhcp-option-108.pcapng" ]; then
	# The counts are the captures' (capinfos: 3 and 2 packets).
	cap=$caps/tcpdump/ieee802.11_meshid.pcap
	verbose analyze -- "$cap"
	expect_in "analyze -v" err "cyanprobe: rules: "
	expect_in "analyze -v: the file read" err \
	    "cyanprobe: analyze: $cap: pcap, link type 127 (IEEE802_11_RADIO), 3 packet(s), 751 byte(s)"
	expect_in "analyze -v: what was decoded" err \
	    "cyanprobe: analyze: decoded 3 802.11 management, 0 data, 0 IP (0 DHCP, 0 DNS, 0 HTTP, 0 TCP 5683); 1 network(s), 1 BSS(es)"
	VIN=$caps/tcpdump/dhcp-option-108.pcapng
	verbose analyze -- --json -
	VIN=""
	expect_in "analyze -v on stdin" err \
	    "cyanprobe: analyze: -: pcapng, link type 1 (EN10MB), 2 packet(s), 707 byte(s)"
	expect_in "analyze -v on stdin: decoded" err \
	    "cyanprobe: analyze: decoded 0 802.11 management, 0 data, 2 IP (2 DHCP, 0 DNS"
else
	echo "SKIP cli: analyze -v: no captures in $caps"
fi
VMASK=json
verbose diagnose -- --iface lo --no-dhcp --timeout 0.2 --firmware 1.5.2 \
    --cloud 127.0.0.1:9 --dns 127.0.0.1 --internet-test 127.0.0.1:9 \
    --portal-url http://127.0.0.1:9/ --json
VMASK=""
expect_in "diagnose -v: each check" err "cyanprobe: diagnose: cloud check failed after"
expect_in "diagnose -v: each check" err "cyanprobe: diagnose: dhcp check skipped"

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
