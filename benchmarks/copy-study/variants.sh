#!/bin/bash
# usage: variants.sh NAME...   runs each named variant REPS times (default 2)
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
# Data files must be readable by the server (a server-side COPY reads them itself).
DATA=${DATA:-/tmp/copystudy}
REPS=${REPS:-2}
F="\\i $HERE/fresh.sql
"
B=${B:-$DATA/rows.bin}; BF=${BF:-}
T=$DATA/rows.txt
V1=$HERE/../../schema/src/main/resources/db/migration/mailtrail/V1__email_activity_log.sql
V3=$HERE/../../schema/src/main/resources/db/migration/mailtrail/V3__email_timeline.sql
# variant that alters a column type: rebuild without the view, alter, then recreate the view
alt() { printf 'DROP VIEW IF EXISTS email_timeline;\nDROP TABLE IF EXISTS email_activity_log;\n\\i %s\n%s\n\\i %s\n' "$V1" "$1" "$V3"; }
for v in "$@"; do for r in $(seq $REPS); do
case $v in
  baseline)      python3 run.py $v $B $BF --setup "$F" ;;
  no_pk)         python3 run.py $v $B $BF --setup "$F ALTER TABLE email_activity_log DROP CONSTRAINT email_activity_log_pkey;" ;;
  no_event_id_uq) python3 run.py $v $B $BF --setup "$F ALTER TABLE email_activity_log DROP CONSTRAINT uq_email_activity_log_event_id;" ;;
  no_email_id)   python3 run.py $v $B $BF --setup "$F DROP INDEX idx_email_activity_log_email_id;" ;;
  no_event_type) python3 run.py $v $B $BF --setup "$F DROP INDEX idx_email_activity_log_event_type;" ;;
  no_created_at) python3 run.py $v $B $BF --setup "$F DROP INDEX idx_email_activity_log_created_at;" ;;
  no_event_category) python3 run.py $v $B $BF --setup "$F DROP INDEX idx_email_activity_log_event_category;" ;;
  no_indexes)    python3 run.py $v $B $BF --setup "$F ALTER TABLE email_activity_log DROP CONSTRAINT email_activity_log_pkey, DROP CONSTRAINT uq_email_activity_log_event_id; DROP INDEX idx_email_activity_log_email_id, idx_email_activity_log_event_type, idx_email_activity_log_created_at, idx_email_activity_log_event_category;" ;;
  seq_cache1000) python3 run.py $v $B $BF --setup "$F ALTER SEQUENCE email_activity_log_id_seq CACHE 1000;" ;;
  id_in_file)    python3 run.py $v $DATA/rows_id.bin --setup "$F" --cols "id, event_id, email_id, event_type, event_category, description, metadata, user_id, created_at, created_by" ;;
  text_jsonb)    python3 run.py $v $T --fmt text --setup "$F" ;;
  text_json)     python3 run.py $v $T --fmt text --setup "$(alt 'ALTER TABLE email_activity_log ALTER metadata TYPE json;')" ;;
  text_text)     python3 run.py $v $T --fmt text --setup "$(alt 'ALTER TABLE email_activity_log ALTER metadata TYPE text;')" ;;
  unlogged)      python3 run.py $v $B $BF --setup "$F ALTER TABLE email_activity_log SET UNLOGGED;" ;;
  idx_ff100)     python3 run.py $v $B $BF --setup "$F $(for i in email_activity_log_pkey uq_email_activity_log_event_id idx_email_activity_log_email_id idx_email_activity_log_event_type idx_email_activity_log_created_at idx_email_activity_log_event_category; do echo "ALTER INDEX $i SET (fillfactor=100);"; done)" ;;
  dedup_off)     python3 run.py $v $B $BF --setup "$F $(for i in idx_email_activity_log_email_id idx_email_activity_log_event_type idx_email_activity_log_event_category; do echo "ALTER INDEX $i SET (deduplicate_items=off);"; done)" ;;
  walcomp_lz4)   python3 run.py $v $B $BF --setup "$F" --session "SET wal_compression=lz4;" ;;
  walcomp_zstd)  python3 run.py $v $B $BF --setup "$F" --session "SET wal_compression=zstd;" ;;
  collate_c)     python3 run.py $v $B $BF --setup "$(alt 'ALTER TABLE email_activity_log ALTER event_type TYPE varchar(50) COLLATE "C", ALTER event_category TYPE varchar(30) COLLATE "C";')" ;;
  *) echo "unknown $v" ;;
esac
done; done
