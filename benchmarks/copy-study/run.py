#!/usr/bin/env python3
"""Time one server-side COPY into a freshly truncated+vacuumed+checkpointed email_activity_log.
usage: run.py LABEL FILE [--setup SQL] [--session SQL] [--cols COLS] [--fmt binary|text] [--table T]
--setup runs (before the reset) in its own session: schema change for the variant.
--session runs in the timed session just before the COPY (SET ...).
Prints: label, rows/s, wall s, backend CPU us/row, WAL bytes/row, FPI/row, checkpoints during COPY."""
import subprocess, sys, argparse, time, re
ap = argparse.ArgumentParser()
ap.add_argument('label'); ap.add_argument('file')
ap.add_argument('--setup', default=''); ap.add_argument('--session', default='')
ap.add_argument('--cols', default='event_id, email_id, event_type, event_category, description, metadata, user_id, created_at, created_by')
ap.add_argument('--fmt', default='binary'); ap.add_argument('--table', default='email_activity_log')
ap.add_argument('--copyopts', default='')
ap.add_argument('--waits', action='store_true')
a = ap.parse_args()
PSQL = ['psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'copystudy', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1']
def psql(sql):
    r = subprocess.run(PSQL, input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('psql failed: ' + r.stderr)
    return r.stdout
if a.setup:
    psql(a.setup)
psql(f"TRUNCATE {a.table} RESTART IDENTITY;\nVACUUM ANALYZE {a.table};\nCHECKPOINT;\n")
time.sleep(1)
stat = "select rtrim(pg_read_file('/proc/'||pg_backend_pid()||'/stat'), E'\\n'), pg_current_wal_lsn(), (select checkpoints_req+checkpoints_timed from pg_stat_bgwriter), extract(epoch from clock_timestamp());\n"
opts = f"FORMAT {a.fmt}" + (', ' + a.copyopts if a.copyopts else '')
sql = (a.session + "\n" if a.session else '') + "select pg_stat_clear_snapshot();\n" + stat + \
      f"COPY {a.table} ({a.cols}) FROM '{a.file}' ({opts});\n" + "select pg_stat_clear_snapshot();\n" + stat
walq = "select wal_fpi||' '||wal_records from pg_stat_wal"
wal0 = psql(walq).strip()
sampler = subprocess.Popen(PSQL, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) if a.waits else None
if sampler:
    sampler.stdin.write("select * from copy_wait_profile();\n"); sampler.stdin.close()
out = psql(sql)
time.sleep(1.5)
wal1 = psql(walq).strip()
lines = [l for l in out.splitlines() if '|' in l]
SYS = []
def parse(l):
    st, wal, ck, t = l.split('|')
    f = st[st.rindex(')') + 2:].split()
    cpu = (int(f[11]) + int(f[12])) / 100.0
    global SYS; SYS.append(int(f[12]) / 100.0)
    hi, lo = wal.split('/')
    return cpu, (int(hi, 16) << 32) + int(lo, 16), int(ck), float(t)
c0, w0, k0, t0 = parse(lines[0]); c1, w1, k1, t1 = parse(lines[1])
f0, r0 = map(float, wal0.split()); f1, r1 = map(float, wal1.split())
n = int(psql(f"select count(*) from {a.table}").strip())
el = t1 - t0
print(f"{a.label:40s} rows={n} wall={el:6.2f}s rows/s={n/el:9.0f} wall_us/row={el*1e6/n:5.2f} cpu_us/row={(c1-c0)*1e6/n:5.2f} (sys {(SYS[1]-SYS[0])*1e6/n:4.2f}) "
      f"WAL_B/row={(w1-w0)/n:6.0f} WALrec/row={(r1-r0)/n:5.2f} FPI/1000rows={(f1-f0)*1000/n:5.2f} ckpts={k1-k0}", flush=True)
if sampler:
    w = sampler.stdout.read().split(); tot = sum(int(x.split('|')[1]) for x in w)
    print("   waits:", ", ".join("%s %.0f%%" % (x.split('|')[0], 100.0*int(x.split('|')[1])/tot) for x in w), flush=True)
