# pg.sh - a real PostgreSQL server from Debian's packages, for the tests:
# initdb and pg_ctl in a temporary folder, run as the `postgres` system
# user (the server refuses root), listening only on a unix socket in that
# folder (no TCP port).  Source it, then
#   qa_pg_up      start it; QA_PG_URL is then its libpq URL;
#   qa_pg_down    (put it in an EXIT trap) stop it and remove the folder.
# qa_pg_can_run says why not when it cannot (no server, not root).
#   pg_log_on, pg_log_off  the server logs every statement in between, into
#                 $QA_PG_DIR/server.log (emptied by pg_log_on);
#   pg_inserts [TABLE]  the INSERTs into TABLE (default verdicts) it logged:
#                 "UNNAMED PREPARED ROWS", the statements sent as they are,
#                 those executed prepared, and the rows of all of them.
QA_PG_DIR=""
QA_PG_URL=""
QA_PG_BIN=${QA_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)}

qa_pg_can_run() {
	if [ ! -x "$QA_PG_BIN/initdb" ] || [ ! -x "$QA_PG_BIN/pg_ctl" ]; then
		echo "needs PostgreSQL (initdb, pg_ctl: the postgresql package)"
		return 1
	fi
	if [ "$(id -u)" -ne 0 ] || ! id postgres >/dev/null 2>&1; then
		echo "needs root and the postgres system user to start a server"
		return 1
	fi
	return 0
}

qa_pg_up() {
	QA_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-pg.XXXXXX") || return 1
	chown postgres "$QA_PG_DIR"
	runuser -u postgres -- "$QA_PG_BIN/initdb" -D "$QA_PG_DIR/data" \
	    -A trust -U postgres -E UTF8 >"$QA_PG_DIR/initdb.log" 2>&1 || {
		echo "pg: initdb failed:" >&2
		tail -n 5 "$QA_PG_DIR/initdb.log" >&2
		return 1
	}
	runuser -u postgres -- "$QA_PG_BIN/pg_ctl" -D "$QA_PG_DIR/data" -w \
	    -l "$QA_PG_DIR/server.log" \
	    -o "-k $QA_PG_DIR -c listen_addresses=''" start \
	    >"$QA_PG_DIR/pg_ctl.log" 2>&1 || {
		echo "pg: the server did not start:" >&2
		tail -n 5 "$QA_PG_DIR/server.log" >&2
		return 1
	}
	QA_PG_URL="postgresql://postgres@/postgres?host=$QA_PG_DIR"
}

qa_pg_down() {
	[ -n "$QA_PG_DIR" ] && [ -d "$QA_PG_DIR" ] || return 0
	if [ -e "$QA_PG_DIR/data/postmaster.pid" ]; then
		runuser -u postgres -- "$QA_PG_BIN/pg_ctl" -D "$QA_PG_DIR/data" \
		    -m immediate -w stop >/dev/null 2>&1
	fi
	rm -rf "$QA_PG_DIR"
	QA_PG_DIR=""
}

pg_log_on() {
	psql -X -q "$QA_PG_URL" -c "ALTER SYSTEM SET log_statement = 'all'" \
	    -c "SELECT pg_reload_conf()" >/dev/null 2>&1
	sleep 0.2
	: >"$QA_PG_DIR/server.log"
}
pg_log_off() {
	psql -X -q "$QA_PG_URL" -c "ALTER SYSTEM RESET log_statement" \
	    -c "SELECT pg_reload_conf()" >/dev/null 2>&1
}
pg_inserts() {
	grep "execute [a-z_0-9<>]*: INSERT INTO ${1:-verdicts} " \
	    "$QA_PG_DIR/server.log" | python3 -c '
import re, sys
u = p = rows = 0
for line in sys.stdin:
    if "execute <unnamed>:" in line: u += 1
    elif re.search(r"execute cyanprobe_qa_[0-9]+:", line): p += 1
    rows += len(re.findall(r"\(\$[0-9]+, ", line))
print(u, p, rows)'
}
