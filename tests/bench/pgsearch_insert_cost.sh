#!/bin/bash
# SPDX-License-Identifier: MIT
# What one span_search row costs PostgreSQL, apart from the program (docs/benchmarks.md "Where the
# indexer's time goes in PostgreSQL"): rows made from the captured framework traces, inserted 500 at a
# time as PostgresStore's indexer inserts them, into span_search with the indexes of each
# configuration. Prints the backend's CPU time (from /proc), the wall time and the bytes a row.
#
#   tests/bench/pgsearch_insert_cost.sh [ROWS]        (default 30000)
# Starts a scratch PostgreSQL 15 cluster in a temporary directory (as the postgres user when run as
# root) and removes it at the end.
set -euo pipefail
ROWS=${1:-30000}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN=/usr/lib/postgresql/15/bin
WORK=$(mktemp -d /tmp/pgsearch-cost.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS=(runuser -u postgres --); fi
"${AS[@]}" "$BIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
mkdir -p "$WORK/sock" && [ ${#AS[@]} -eq 0 ] || chown postgres "$WORK/sock"
"${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -o "-k $WORK/sock -c listen_addresses='' -p 55433" -l "$WORK/pg.log" -w start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null; rm -rf "$WORK"' EXIT

python3 - "$SRC/tests/fixtures/frameworks" "$ROWS" "$WORK/rows.csv" <<'PY'
import csv, glob, json, random, sys
random.seed(1)
spans = []
for f in sorted(glob.glob(sys.argv[1] + '/*.otlp.json')):
    for line in open(f):
        if not line.strip():
            continue
        for rs in json.loads(line)['resourceSpans']:
            for ss in rs['scopeSpans']:
                for sp in ss['spans']:
                    texts = []
                    def walk(v):
                        if isinstance(v, dict):
                            for x in v.values(): walk(x)
                        elif isinstance(v, list):
                            for x in v: walk(x)
                        elif isinstance(v, str): texts.append(v)
                    walk(sp.get('attributes', [])); walk(sp.get('events', []))
                    spans.append((sp['name'], ' '.join(texts)))
w = csv.writer(open(sys.argv[3], 'w'))
for i in range(int(sys.argv[2])):
    name, body = random.choice(spans)
    body = body[:4000] + ' run-%d session-%d' % (i, i // 50)
    w.writerow([i + 1, '%032x' % (i // 20), name, 'get_weather' if i % 5 == 0 else '', 'gpt-4o-mini', 1, 2,
                name + '\x1f\x1f\x1f\x1f\x1f' + body])
PY
[ ${#AS[@]} -eq 0 ] || chown postgres "$WORK/rows.csv"
P=(psql -h "$WORK/sock" -p 55433 -U postgres -X -q -v ON_ERROR_STOP=1)
"${P[@]}" -c "CREATE EXTENSION pg_trgm" -c "CREATE UNLOGGED TABLE staging(id bigint, trace text, name text, tool text, model text, status int, kind int, search_text text)" -c "\\copy staging FROM '$WORK/rows.csv' CSV"

run() { # label, index statements, rows a step, settings
    cat >"$WORK/run.sql" <<SQL
DROP TABLE IF EXISTS span_search;
CREATE TABLE span_search(span_rowid bigint PRIMARY KEY, trace_id bytea NOT NULL, name text NOT NULL, tool text NOT NULL, model text NOT NULL, status int NOT NULL, kind int NOT NULL, search_text text NOT NULL);
CREATE INDEX ON span_search(trace_id, span_rowid);
$2
CHECKPOINT;
$4
\t on
\a
\o $WORK/pid
SELECT pg_backend_pid();
\o
\! awk '{print \$14+\$15}' /proc/\$(cat $WORK/pid)/stat > $WORK/cpu0
SELECT extract(epoch from clock_timestamp()) AS t0 \gset
DO \$\$ DECLARE i bigint := 0; BEGIN
  WHILE i < $ROWS LOOP
    INSERT INTO span_search SELECT id, decode(trace, 'hex'), name, coalesce(tool, ''), model, status, kind, search_text
      FROM staging WHERE id > i AND id <= i + $3;
    COMMIT;
    i := i + $3;
  END LOOP; END \$\$;
SELECT 'WALL ' || round((extract(epoch from clock_timestamp()) - :t0)::numeric, 1) || ' s';
\! awk '{print \$14+\$15}' /proc/\$(cat $WORK/pid)/stat > $WORK/cpu1
SELECT 'BYTES ' || pg_total_relation_size('span_search') / $ROWS;
SQL
    local out cpu
    out=$("${P[@]}" -f "$WORK/run.sql")
    cpu=$(($(cat "$WORK/cpu1") - $(cat "$WORK/cpu0")))
    printf '%s | backend CPU %d.%02d s, %d us a row | %s | %s bytes a row | load %s\n' "$1" $((cpu / 100)) $((cpu % 100)) \
        $((cpu * 10000 / ROWS)) "$(grep WALL <<<"$out")" "$(grep BYTES <<<"$out" | cut -d' ' -f2)" "$(cut -d' ' -f1 /proc/loadavg)"
}
gin() { for c in search_text name tool model; do echo "CREATE INDEX ON span_search USING gin($c gin_trgm_ops) $1;"; done; }
run "four GIN trigram indexes (as now), 500 a step" "$(gin '')" 500 ""
run "the same, fastupdate off" "$(gin 'WITH (fastupdate = off)')" 500 ""
run "the same, fastupdate on, gin_pending_list_limit 64MB" "$(gin '')" 500 "SET gin_pending_list_limit = '64MB';"
run "the same, 5000 a step" "$(gin '')" 5000 ""
run "the search text's GIN index only" "CREATE INDEX ON span_search USING gin(search_text gin_trgm_ops);" 500 ""
run "no GIN index" "" 500 ""
