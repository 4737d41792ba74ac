#!/usr/bin/env bash
# Issue 9: what dead tuples ahead in the claim path cost one claim, and what two candidate designs
# cost instead. bash + psql only. See README.md next to this file.
#
#   benchmarks/claim-bloat/measure.sh            # PGURL defaults to postgresql://root@127.0.0.1:5432/test
#   NS="0 10000" REPEATS=5 benchmarks/claim-bloat/measure.sh     # a quick, smaller run
#
# Prints one Markdown table (and notes) on standard output; progress goes to standard error; raw
# per-repeat measurements land in $OUT (a fresh temporary directory unless set).
set -euo pipefail

PGURL=${PGURL:-postgresql://root@127.0.0.1:5432/test}
NS=${NS:-0 10000 100000 1000000}     # dead tuples ahead in the claim path
LIVE=${LIVE:-1000}                   # live ready tasks behind them
REPEATS=${REPEATS:-7}                # repeats per measurement; the table shows the median
BATCHES=${BATCHES:-16 256}           # claim batch sizes measured
FILL_BATCH=${FILL_BATCH:-50000}      # tasks per insert / claim / delete round while making dead tuples
PLAN_CACHE_MODE=${PLAN_CACHE_MODE:-force_generic_plan}   # what a driver's cached statement ends up with
# Run in a scratch database of our own (created on PGURL's server, dropped at the end): the xmin
# horizon that VACUUM uses for ordinary tables only counts sessions of the same database, so other
# work on the server neither keeps our dead tuples from VACUUM nor has its own kept by our old
# snapshot. SCRATCH_DB=0: use PGURL's database.
SCRATCH_DB=${SCRATCH_DB:-1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCHEMA_FILE=$ROOT/core/src/main/resources/dev/herald/schema/V1__task_table.sql
CLAIM_FILE=$ROOT/core/src/main/resources/dev/herald/schema/V2__claim_function.sql
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/claim-bloat.XXXXXX")}
mkdir -p "$OUT"
RUN=herald_bloat_$$                  # table-name prefix, unique per run
SIG=order.placed
RCV=billing
PAD=${PAD:-64}                       # payload: {"orderId": n, "pad": "<PAD x's>"}
# The claim owner (locked_by), as long as Herald's default node id "herald-" + a UUID: the claim's
# row version grows by it, which decides whether the claim UPDATE still fits on the page (HOT).
OWNER=herald-0b6f3f7e-5d7a-4c1e-9a57-2f4c8e1d9b30
RAW=$OUT/raw.txt                     # RES cond n_dead variant batch rep hit read ms rows indexes settled
NOTES=$OUT/notes.md
: >"$RAW"
: >"$NOTES"

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
psql_() { nice -n 10 psql "$DBURL" -X -q -v ON_ERROR_STOP=1 "$@"; }
note() { printf '%s\n' "$*" >>"$NOTES"; }

[[ -r $SCHEMA_FILE && -r $CLAIM_FILE ]] || die "run from a Herald checkout: $SCHEMA_FILE, $CLAIM_FILE"

# --- Herald's own SQL, read from the sources so that the benchmark follows the code -----------------
# The claim statement: the body of the schema's claim function; ${table} is the table.
CLAIM_TEMPLATE=$(awk '/^AS \$\$$/{f=1;next} f&&/^\$\$;$/{exit} f{print}' "$CLAIM_FILE")
[[ $CLAIM_TEMPLATE == *"FOR UPDATE SKIP LOCKED"* && $CLAIM_TEMPLATE == *'${table}'* ]] \
  || die "could not extract the claim function's body from $CLAIM_FILE"
CLAIM_ANCHOR='(t.locked_until IS NULL OR t.locked_until < now())'
[[ $CLAIM_TEMPLATE == *"$CLAIM_ANCHOR"* ]] || die "claim statement changed: no '$CLAIM_ANCHOR'"

# claim_sql TABLE [EXTRA_CONDITION]: the real claim, optionally with one more condition in its LATERAL.
claim_sql() {
  local s=${CLAIM_TEMPLATE//'${table}'/$1}
  [[ -n ${2:-} ]] && s=${s/"$CLAIM_ANCHOR"/"$CLAIM_ANCHOR AND $2"}
  printf '%s' "$s"
}

# V1 schema exactly as Herald creates it.
schema_sql() { sed -e "s/\${table}/$1/g" -e "s/\${name}/$1/g" "$SCHEMA_FILE"; }

# Herald's current schema, every versioned script in order (version 4: the ring of generations),
# with the generation's clock replaced by a counter of our own (as the kit's fixtures do), so that
# the script, not the wall clock, decides when the dead tuples' generation stops being current.
ring_schema_sql() {
  local f
  for f in "$ROOT"/core/src/main/resources/dev/herald/schema/V*__*.sql; do
    sed -e "s/\${table}/$1/g" -e "s/\${name}/$1/g" "$f"
  done
  cat <<EOF
CREATE TABLE ${1}_test_clock (g smallint NOT NULL);
INSERT INTO ${1}_test_clock SELECT ${1}_generation();
CREATE OR REPLACE FUNCTION ${1}_generation() RETURNS smallint LANGUAGE sql VOLATILE
  AS 'SELECT g FROM ${1}_test_clock';
EOF
}
# The claim as Herald's current schema runs it: its claim function.
ring_claim_sql() { printf 'SELECT * FROM %s_claim($1, $2, $3, $4, $5, $6)' "$1"; }

# The rotation candidate: V1's columns, indexes and storage options plus a generation column, LIST-
# partitioned on it; one partition per generation. A partitioned table's primary key must contain
# the partition key, hence (id, gen). Storage options go on the partitions (a partitioned table
# has no storage).
part_schema_sql() {
  local p=$1 opts
  opts="fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000,
        autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0.02"
  cat <<EOF
CREATE TABLE $p (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  gen          integer     NOT NULL DEFAULT 1,
  signal       text        NOT NULL,
  receiver     text        NOT NULL,
  payload      jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  state        text        NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'dead')),
  attempt      integer     NOT NULL DEFAULT 0,
  run_at       timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by    text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, gen)
) PARTITION BY LIST (gen);
CREATE TABLE ${p}_g1 PARTITION OF $p FOR VALUES IN (1) WITH ($opts);
CREATE TABLE ${p}_g2 PARTITION OF $p FOR VALUES IN (2) WITH ($opts);
CREATE INDEX ${p}_claim_idx ON $p (signal, receiver, run_at, id) WHERE state = 'ready';
CREATE INDEX ${p}_dead_idx ON $p (id) WHERE state = 'dead';
EOF
}

CHECK_FN="CREATE FUNCTION pg_temp.check(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS
  \$f\$ BEGIN IF NOT ok THEN RAISE EXCEPTION 'check failed: %', what; END IF; END \$f\$;"

# fill_sql TABLE N DEAD_GEN LIVE_GEN: N dead tuples made the way Herald makes them, then LIVE ready
# tasks behind them. Each round is three transactions, as in Herald: send (INSERT), claim (the real
# claim statement, batch = round size), complete (DELETE of exactly the claimed rows; Herald's
# taskCompleteMany deletes by id = ANY(array) after re-checking the lease, here a primary-key range:
# the same one DELETE per row). Prints "LAST <id> <run_at>" of the last task claimed.
# DEAD_GEN "ring": Herald's current schema; the live tasks go to the next generation of its clock.
fill_sql() {
  local t=$1 n=$2 dgen=${3:-} lgen=${4:-} gc='' dgv='' lgv='' done=0 b claim advance=''
  claim=$(claim_sql "$t")
  if [[ $dgen == ring ]]; then
    claim=$(ring_claim_sql "$t")
    advance="UPDATE ${t}_test_clock SET g = (g + 1) % 4;"
  elif [[ -n $dgen ]]; then
    gc='gen, ' dgv="$dgen, " lgv="$lgen, "
  fi
  cat <<EOF
\\o /dev/null
$CHECK_FN
PREPARE fill_claim(text[], text[], int[], text, float8, text[]) AS
$claim;
\\set last_id 0
\\set last_run_at -infinity
EOF
  while ((done < n)); do
    b=$((n - done < FILL_BATCH ? n - done : FILL_BATCH))
    cat <<EOF
WITH i AS (INSERT INTO $t (${gc}signal, receiver, payload)
           SELECT ${dgv}'$SIG', '$RCV', jsonb_build_object('orderId', g, 'pad', repeat('x', $PAD))
             FROM generate_series($((done + 1)), $((done + b))) g RETURNING id)
SELECT min(id) AS lo, max(id) AS hi FROM i \\gset
EXECUTE fill_claim('{$SIG}', '{$RCV}', '{$b}', '$OWNER', 3600, '{NULL}');
SELECT pg_temp.check(count(*) = $b, 'claimed $b') FROM $t
 WHERE id BETWEEN :lo AND :hi AND locked_by = '$OWNER' AND attempt = 1;
SELECT id AS last_id, run_at AS last_run_at FROM $t WHERE id = :hi \\gset
WITH d AS (DELETE FROM $t WHERE id BETWEEN :lo AND :hi RETURNING 1)
SELECT pg_temp.check(count(*) = $b, 'deleted $b') FROM d;
EOF
    done=$((done + b))
  done
  cat <<EOF
$advance
INSERT INTO $t (${gc}signal, receiver, payload)
SELECT ${lgv}'$SIG', '$RCV', jsonb_build_object('orderId', g, 'pad', repeat('x', $PAD))
  FROM generate_series(1, $LIVE) g;
ANALYZE $t;
SELECT pg_temp.check(count(*) = $LIVE, 'live') FROM $t;
\\echo LAST :last_id :last_run_at
EOF
}

# measure_sql COND N TABLE KIND...: KIND is cur (the real claim), idc (claim + id > last claimed),
# rowc (claim + (run_at, id) > last claimed), rot / rotpre (the real claim on the partitioned parent),
# ring / ringpre (Herald's current schema and claim function, after / before its upkeep step).
# Every run: BEGIN; EXPLAIN (ANALYZE, BUFFERS) the claim; ROLLBACK. Repeats interleave the kinds.
measure_sql() {
  local cond=$1 n=$2 t=$3
  shift 3
  cat <<EOF
\\o /dev/null
SET plan_cache_mode = $PLAN_CACHE_MODE;
CREATE FUNCTION pg_temp.xp(q text, OUT hit bigint, OUT rd bigint, OUT ms numeric, OUT nrows bigint,
                           OUT idx text) LANGUAGE plpgsql AS \$f\$
DECLARE j json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' || q INTO j;
  hit := (j->0->'Plan'->>'Shared Hit Blocks')::bigint;
  rd := (j->0->'Plan'->>'Shared Read Blocks')::bigint;
  ms := (j->0->>'Execution Time')::numeric;
  nrows := (j->0->'Plan'->>'Actual Rows')::bigint;
  SELECT coalesce(string_agg(DISTINCT m[1], '+'), '-') INTO idx
    FROM regexp_matches(j::text, '"Index Name": "([^"]+)"', 'g') m;
END \$f\$;
-- After a rolled-back claim: wait (at most 2 s) until no transaction that started before it is
-- still running anywhere on the server. Until then the server treats the claim's aborted row
-- versions as possibly visible to someone and neither prunes them nor marks index entries dead
-- (its quick visibility test counts other databases' transactions too), so the next repeat would
-- measure the previous repeat's leftovers, more or fewer depending on the server's other traffic.
-- With an old snapshot held they stay regardless: that part is deterministic.
CREATE FUNCTION pg_temp.settle(x xid8) RETURNS boolean LANGUAGE plpgsql AS \$f\$
BEGIN
  FOR i IN 1 .. 1000 LOOP
    IF pg_snapshot_xmin(pg_current_snapshot()) > x THEN RETURN true; END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
  RETURN false;
END \$f\$;
EOF
  local k
  for k in "$@"; do
    case $k in
      cur) echo "PREPARE c_cur(text[], text[], int[], text, float8, text[]) AS $(claim_sql "$t");" ;;
      idc) echo "PREPARE c_idc(text[], text[], int[], text, float8, text[], bigint) AS $(claim_sql "$t" 't.id > $7');" ;;
      rowc) echo "PREPARE c_rowc(text[], text[], int[], text, float8, text[], timestamptz, bigint) AS $(claim_sql "$t" '(t.run_at, t.id) > ($7, $8)');" ;;
      rot | rotpre) echo "PREPARE c_$k(text[], text[], int[], text, float8, text[]) AS $(claim_sql "$t");" ;;
      ring | ringpre) echo "PREPARE c_$k(text[], text[], int[], text, float8, text[]) AS $(ring_claim_sql "$t");" ;;
    esac
  done
  local rep b args
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for k in "$@"; do
      for b in $BATCHES; do
        # '{NULL}': no claim position (ClaimWant.since), the claim walks from the oldest task.
        args="'{$SIG}', '{$RCV}', '{$b}', '$OWNER', 30, '{NULL}'"
        case $k in
          idc) args+=", $LAST_ID" ;;
          rowc) args+=", '$LAST_RUN_AT', $LAST_ID" ;;
        esac
        cat <<EOF
BEGIN;
SELECT pg_current_xact_id() AS xid \\gset
SELECT * FROM pg_temp.xp(\$q\$EXECUTE c_$k($args)\$q\$) \\gset
ROLLBACK;
SELECT pg_temp.settle(:'xid') AS settled \\gset
\\echo RES $cond $n $k $b $rep :hit :rd :ms :nrows :idx :settled
EOF
      done
    done
  done
}

fill() { # TABLE N [DEAD_GEN LIVE_GEN]: sets LAST_ID / LAST_RUN_AT, the last task claimed
  local line t0=$SECONDS
  line=$(fill_sql "$@" | psql_ | grep '^LAST ')
  read -r _ LAST_ID LAST_RUN_AT <<<"$line"
  [[ -n $LAST_ID && -n $LAST_RUN_AT ]] || die "fill of $1 failed"
  log "  filled $1: $2 tasks sent, claimed, deleted; $LIVE live behind them ($((SECONDS - t0)) s)"
}

measure() { # COND N TABLE KIND...
  log "  measure $1: ${*:4} on $3"
  measure_sql "$@" | psql_ | grep '^RES ' >>"$RAW"
}

# Table and claim-index size of the plain table, for the table.
size_of() { # COND N TABLE
  psql_ -At -c "SELECT 'SIZE $1 $2', pg_relation_size('$3'), pg_relation_size('${3}_claim_idx'),
                       pg_total_relation_size('$3')" | tr '|' ' ' >>"$RAW"
}

hot_note() { # LABEL TABLE: how many of the fill's claim UPDATEs were HOT (stats flushed at its exit)
  local line
  line=$(psql_ -At -c "SELECT n_tup_hot_upd || ' of ' || n_tup_upd FROM pg_stat_user_tables
                        WHERE relid = '$2'::regclass")
  note "- $1: HOT claim UPDATEs while making the dead tuples: $line"
}

vacuum_note() { # LABEL TABLE: VACUUM (VERBOSE) and keep the line that says what it could remove
  local line
  line=$(psql_ -c "VACUUM (VERBOSE) $2" 2>&1 | grep -m1 -o 'tuples: .*' || true)
  note "- VACUUM of the plain table, $1: \`${line:-no tuples line}\`"
  log "  VACUUM $1: $line"
}

# TRUNCATE of the drained generation with lock_timeout = 100ms: what it locks, whether it waits.
truncate_note() { # LABEL PARTITION PARENT
  local msg
  msg=$(psql_ 2>&1 <<EOF | sed -n 's/.*NOTICE:  //p'
DO \$\$
DECLARE t0 timestamptz := clock_timestamp(); locks text;
BEGIN
  PERFORM set_config('lock_timeout', '100ms', true);
  TRUNCATE $2;
  SELECT string_agg(CASE relation WHEN '$2'::regclass THEN 'partition' ELSE 'parent' END || ' '
                    || mode, ', ' ORDER BY relation, mode) INTO locks
    FROM pg_locks WHERE locktype = 'relation' AND pid = pg_backend_pid()
     AND relation IN ('$2'::regclass, '$3'::regclass);
  RAISE NOTICE 'done in % ms; locks held until commit: %',
    round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1), coalesce(locks, 'none');
EXCEPTION WHEN lock_not_available THEN
  RAISE NOTICE 'FAILED after % ms: "%" (SQLSTATE %)',
    round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1), SQLERRM, SQLSTATE;
END \$\$;
EOF
  )
  note "- $1: $msg"
  log "  $1: $msg"
}

# The upkeep step of Herald's current schema, as every node runs it every 5 s: what it did.
rotate_note() { # LABEL TABLE
  local line
  line=$(psql_ -At -c "SELECT string_agg('generation ' || generation || ' ' || outcome || ', '
                         || moved || ' moved, ' || pg_size_pretty(freed) || ' back', '; ')
                         FROM ${2}_rotate(10000)")
  note "- $1: ${line:-nothing to do}"
  log "  $1: $line"
}

# --- Sessions kept open in the background (a psql reading a FIFO), e.g. the old snapshot ---------
declare -A SESS_PID SESS_FD
sess_start() { # NAME
  local fifo=$OUT/$1.in fd
  rm -f "$fifo"
  mkfifo "$fifo"
  nice -n 10 psql "$DBURL" -X -q -At -v ON_ERROR_STOP=1 <"$fifo" >"$OUT/$1.out" 2>&1 &
  SESS_PID[$1]=$!
  exec {fd}>"$fifo"
  SESS_FD[$1]=$fd
}
sess_sql() { # NAME SQL: runs SQL in the session and waits until it has answered
  local tag="done-$RANDOM$RANDOM" i
  printf '%s\n\\echo %s\n' "$2" "$tag" >&"${SESS_FD[$1]}"
  for ((i = 0; i < 1200; i++)); do
    grep -qx "$tag" "$OUT/$1.out" && return 0
    kill -0 "${SESS_PID[$1]}" 2>/dev/null || die "session $1 ended: $(cat "$OUT/$1.out")"
    sleep 0.05
  done
  die "session $1 did not answer"
}
sess_end() { # NAME: COMMIT (ends its snapshot) and quit
  [[ -n ${SESS_PID[$1]:-} ]] || return 0
  printf 'COMMIT;\n\\q\n' >&"${SESS_FD[$1]}" || true
  eval "exec ${SESS_FD[$1]}>&-"
  wait "${SESS_PID[$1]}" || true
  unset "SESS_PID[$1]" "SESS_FD[$1]"
}

TABLES=()
cleanup() {
  local s
  for s in "${!SESS_PID[@]}"; do
    kill "${SESS_PID[$s]}" 2>/dev/null || true
  done
  for s in "${!SESS_PID[@]}"; do
    wait "${SESS_PID[$s]}" 2>/dev/null || true
  done
  if ((${#TABLES[@]})); then
    psql_ -c "DROP TABLE IF EXISTS $(IFS=,; echo "${TABLES[*]}")" >/dev/null 2>&1 || true
  fi
  if [[ -n ${DB:-} ]]; then
    nice -n 10 psql "$PGURL" -X -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 \
      || log "could not drop database $DB"
  fi
}
trap cleanup EXIT

# --- The run ----------------------------------------------------------------------------------------
DB=
DBURL=$PGURL
if [[ $SCRATCH_DB == 1 ]]; then
  DB=$RUN
  nice -n 10 psql "$PGURL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" \
    || { DB=; die "cannot create a scratch database (SCRATCH_DB=0 runs in PGURL's database)"; }
  # PGURL with its database replaced by ours (a URL; a key=value string gets dbname= appended).
  if [[ $PGURL =~ ^postgres(ql)?:// ]]; then
    DBURL=$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$DB#" <<<"$PGURL")
  else
    DBURL="$PGURL dbname=$DB"
  fi
fi
START=$(date -u '+%Y-%m-%d %H:%M UTC')
SETTINGS=$(psql_ -At -c "SELECT version()" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('autovacuum', 'fsync', 'synchronous_commit', 'full_page_writes',
  'shared_buffers', 'max_wal_size', 'effective_cache_size', 'random_page_cost', 'work_mem')")
log "output in $OUT"
t_start=$SECONDS

for N in $NS; do
  # (b) An old snapshot: a REPEATABLE READ transaction in a session of its own, its snapshot taken
  # before any of these dead tuples exists, on no task table. VACUUM runs (as autovacuum would) and
  # can remove none of them.
  T=${RUN}_h$N
  P=${RUN}_hp$N
  R=${RUN}_hr$N
  TABLES+=("$T" "$P" "$R")
  log "N=$N, snapshot held: create $T (Herald V1), $P (partitioned by generation), $R (Herald now)"
  schema_sql "$T" | psql_
  part_schema_sql "$P" | psql_
  ring_schema_sql "$R" | psql_
  sess_start held
  sess_sql held "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 'SNAPSHOT', pg_backend_pid(), pg_current_snapshot();"
  fill "$R" "$N" ring
  fill "$P" "$N" 1 2
  fill "$T" "$N"      # last: the cursors start after the last task claimed from $T
  hot_note "N=$N, snapshot held, plain table" "$T"
  hot_note "N=$N, snapshot held, drained generation" "${P}_g1"
  vacuum_note "N=$N, snapshot held" "$T"
  size_of held "$N" "$T"
  measure held "$N" "$T" cur idc rowc
  measure held "$N" "$P" rotpre
  truncate_note "N=$N, snapshot held: TRUNCATE of the drained generation while the old snapshot is held (a REPEATABLE READ transaction that never read the task table)" "${P}_g1" "$P"
  measure held "$N" "$P" rot
  sess_start reader
  sess_sql reader "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM $P; SELECT count(*) FROM $R;"
  truncate_note "N=$N, TRUNCATE of the drained generation while a REPEATABLE READ transaction that has read the task table (through its parent) is open" "${P}_g1" "$P"
  measure held "$N" "$R" ringpre
  rotate_note "N=$N, Herald's upkeep step while a REPEATABLE READ transaction that has read the task table is open" "$R"
  sess_end reader
  rotate_note "N=$N, Herald's upkeep step while the old snapshot is held (it never read the task table)" "$R"
  measure held "$N" "$R" ring
  sess_end held
  psql_ -c "DROP TABLE $T, $P, $R"

  # (a) No old snapshot: fresh tables, filled with nothing pinning the xmin horizon (so the fill's own
  # claims already mark the dead index entries they walk past, as claims do in production).
  T=${RUN}_f$N
  P=${RUN}_fp$N
  R=${RUN}_fr$N
  TABLES+=("$T" "$P" "$R")
  log "N=$N, no snapshot: create $T, $P and $R"
  psql_ -At -c "SELECT 'other sessions holding an xmin: ' || count(*) FROM pg_stat_activity
                 WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()
                   AND datname = current_database()" >&2
  schema_sql "$T" | psql_
  part_schema_sql "$P" | psql_
  ring_schema_sql "$R" | psql_
  fill "$R" "$N" ring
  fill "$P" "$N" 1 2
  fill "$T" "$N"      # last: the cursors start after the last task claimed from $T
  measure none "$N" "$R" ringpre
  rotate_note "N=$N, no snapshot: Herald's upkeep step" "$R"
  measure none "$N" "$R" ring
  # (a1) No VACUUM yet (autovacuum off, or not yet round to it): the tuples are dead to everyone,
  # but still in the heap and the indexes.
  hot_note "N=$N, no snapshot, plain table" "$T"
  size_of none "$N" "$T"
  measure none "$N" "$T" cur idc rowc
  measure none "$N" "$P" rotpre
  truncate_note "N=$N, no snapshot: TRUNCATE of the drained generation" "${P}_g1" "$P"
  measure none "$N" "$P" rot
  # (a2) VACUUM has run since: autovacuum keeps up.
  vacuum_note "N=$N, no snapshot" "$T"
  size_of vacuumed "$N" "$T"
  measure vacuumed "$N" "$T" cur idc rowc
  measure vacuumed "$N" "$P" rot
  psql_ -c "DROP TABLE $T, $P, $R"
  log "N=$N done after $((SECONDS - t_start)) s"
done

# --- The table --------------------------------------------------------------------------------------
grep '^RES ' "$RAW" | cut -d' ' -f2- >"$OUT/res.txt"
grep '^SIZE ' "$RAW" | cut -d' ' -f2- >"$OUT/size.txt"
{
  echo "## Claim cost with dead tuples ahead in the claim path"
  echo
  echo "Run $START, $((SECONDS - t_start)) s. $(head -1 <<<"$SETTINGS")"
  echo "Settings: $(tail -1 <<<"$SETTINGS"); plan_cache_mode=$PLAN_CACHE_MODE."
  echo "$LIVE live ready tasks behind the dead ones; median of $REPEATS runs; buffers = shared hit + read of"
  echo "EXPLAIN (ANALYZE, BUFFERS) of the whole claim statement (rolled back); cells are batch 16 / batch 256."
  echo
  psql_ -At <<EOF
CREATE TEMP TABLE r (cond text, n bigint, kind text, batch int, rep int, hit bigint, rd bigint,
                     ms numeric, nrows bigint, idx text, settled boolean);
CREATE TEMP TABLE s (cond text, n bigint, heap bigint, claim_idx bigint, total bigint);
\\copy r FROM '$OUT/res.txt' (DELIMITER ' ')
\\copy s FROM '$OUT/size.txt' (DELIMITER ' ')
CREATE TEMP VIEW m AS
  SELECT cond, n, kind, batch,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY hit + rd) AS buf,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
         min(hit + rd) FILTER (WHERE rep = 1) AS first
    FROM r GROUP BY 1, 2, 3, 4;
CREATE TEMP VIEW c AS
  SELECT cond, n, kind,
         string_agg(buf::text, ' / ' ORDER BY batch) AS buf,
         string_agg(CASE WHEN ms < 10 THEN round(ms::numeric, 2) ELSE round(ms::numeric, 0) END::text,
                    ' / ' ORDER BY batch) AS ms,
         string_agg(first::text, ' / ' ORDER BY batch) AS first
    FROM m GROUP BY 1, 2, 3;
SELECT '| dead tuples ahead | snapshot | table: heap + claim index | V1 claim: buffers | V1: 1st run | V1: ms | cursor id > last: buffers | cursor id: ms | cursor (run_at, id) > last: buffers | cursor (run_at, id): ms | rotation: buffers | rotation: ms | V4 before its upkeep step: buffers | V4 after it: buffers | V4 after it: ms |';
SELECT '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |',
              to_char(k.n, 'FM9,999,999'),
              CASE k.cond WHEN 'held' THEN 'held; VACUUM ran, removed none'
                          WHEN 'none' THEN 'none; no VACUUM yet' ELSE 'none; VACUUM ran' END,
              (SELECT pg_size_pretty(heap) || ' + ' || pg_size_pretty(claim_idx) FROM s
                WHERE s.n = k.n AND s.cond = k.cond),
              cur.buf, cur.first, cur.ms, idc.buf, idc.ms, rowc.buf, rowc.ms, rot.buf, rot.ms,
              coalesce(ringpre.buf, '—'), coalesce(ring.buf, '—'), coalesce(ring.ms, '—'))
  FROM (SELECT DISTINCT n, cond FROM r) k
  JOIN c cur ON cur.n = k.n AND cur.cond = k.cond AND cur.kind = 'cur'
  JOIN c idc ON idc.n = k.n AND idc.cond = k.cond AND idc.kind = 'idc'
  JOIN c rowc ON rowc.n = k.n AND rowc.cond = k.cond AND rowc.kind = 'rowc'
  JOIN c rot ON rot.n = k.n AND rot.cond = k.cond AND rot.kind = 'rot'
  LEFT JOIN c ringpre ON ringpre.n = k.n AND ringpre.cond = k.cond AND ringpre.kind = 'ringpre'
  LEFT JOIN c ring ON ring.n = k.n AND ring.cond = k.cond AND ring.kind = 'ring'
 ORDER BY k.n, array_position(ARRAY['held', 'none', 'vacuumed'], k.cond);
SELECT '';
SELECT 'Rotation before its TRUNCATE (the drained generation still there), buffers ' || string_agg(
         format('%s dead, %s: %s (%s ms)', to_char(n, 'FM9,999,999'),
                CASE cond WHEN 'held' THEN 'snapshot held' ELSE 'no snapshot' END, buf, ms),
         '; ' ORDER BY n, cond)
  FROM c WHERE kind = 'rotpre';
SELECT CASE count(*) WHEN 0 THEN 'Every measured claim returned its whole batch.'
       ELSE 'WARNING: ' || count(*) || ' measured claims returned fewer rows than their batch.' END
  FROM r WHERE nrows <> batch;
SELECT 'WARNING: after ' || count(*) || ' measured claims the server still ran an older transaction 2 s later.'
  FROM r WHERE NOT settled HAVING count(*) > 0;
SELECT 'Indexes in the plans: ' || string_agg(DISTINCT kind || ' ' || regexp_replace(idx, '${RUN}_[a-z]+[0-9]+', '<t>', 'g'), '; ')
  FROM r;
EOF
  echo
  cat "$NOTES"
} | tee "$OUT/table.md"
log "raw measurements: $RAW"
