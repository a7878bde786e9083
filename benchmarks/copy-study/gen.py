#!/usr/bin/env python3
"""Generate a PostgreSQL COPY file comparable to ServerCopyFile/EventMix.
usage: gen.py ROWS OUT [binary|text] [with_id]
columns: [id,] event_id, email_id, event_type, event_category, description, metadata, user_id, created_at, created_by
binary: metadata encoded as jsonb binary (version byte 1 + json text), like ServerCopyFile."""
import sys, random, struct, json, io
rows = int(sys.argv[1]); out = sys.argv[2]
fmt = sys.argv[3] if len(sys.argv) > 3 else 'binary'
with_id = len(sys.argv) > 4 and sys.argv[4] == 'with_id'
rnd = random.Random(42)
CLASSES = ["invoice","order","support","newsletter","spam","contract"]
WORKFLOWS = ["Invoice Processing","Order Intake","Support Triage","Contract Review","Spam Quarantine"]
STATUSES = ["active","processed","archived","waiting","failed"]
VENDORS = ["Acme Corp","Globex Ltd","Initech GmbH","Umbrella A/S","Hooli Inc","Stark Industries"]
USERS = ["alice","bob","carol","dave","erin"]
HOSTS = ["hub-worker-01","hub-worker-02","hub-worker-03","hub-worker-04"]
ERRORS = ["extraction_failed","imap_timeout","pdf_corrupted","ocr_failed"]
STEPS = ["extract_pdf","match_vendor","book_invoice"]
pick = rnd.choice
def hx(): return '%x' % rnd.getrandbits(64)
def ev(emailId):
    m = {"tenant": "hub-eu-1"}
    k = rnd.randrange(100)
    if k < 18:
        m.update(source="imap", message_id="<%s.%d@mail.example.com>" % (hx(), emailId), mailbox="INBOX/Accounts Payable",
                 sender="billing@" + pick(VENDORS).lower().replace(' ', '-') + ".example", subject_length=20+rnd.randrange(80),
                 size_bytes=2000+rnd.randrange(2000000), attachments=rnd.randrange(4), fetched_by=pick(HOSTS), uid=rnd.randrange(1000000))
        return "fetched", "system", "Email fetched from email server", m, None, "system"
    if k < 36:
        c = pick(CLASSES); conf = round(rnd.random()*100)/100
        m.update(classification=c, confidence=conf, method="ai", model="mail-classifier-2025-06", runner_up=pick(CLASSES),
                 runner_up_confidence=round(rnd.random()*50)/100, language="en", tokens=100+rnd.randrange(4000),
                 latency_ms=20+rnd.randrange(400), host=pick(HOSTS))
        return "classified", "system", "Classified as %s (confidence: %d%%)" % (c, round(conf*100)), m, None, "system"
    if k < 50:
        rid = 1+rnd.randrange(300); rn = "Route %s mail to %s" % (pick(CLASSES), pick(WORKFLOWS))
        m.update(rule_id=rid, rule_name=rn, action="start_workflow", conditions=["sender_domain","subject_contains","has_attachment"],
                 priority=rnd.randrange(10), evaluated_rules=1+rnd.randrange(60), host=pick(HOSTS))
        return "rule_matched", "rule", "Rule '%s' matched (action: start_workflow)" % rn, m, None, "system"
    if k < 66:
        n = pick(WORKFLOWS); st = "failed" if rnd.randrange(10) == 0 else "completed"; s = 1+rnd.randrange(5); ms = 50+rnd.randrange(5000)
        m.update(workflow_id=1+rnd.randrange(40), workflow_name=n, status=st, steps_completed=s, execution_time_ms=ms,
                 trigger="rule_matched", steps=STEPS, host=pick(HOSTS), run_id=hx())
        return "workflow_executed", "workflow", "Workflow '%s' %s (%d steps, %d ms)" % (n, st, s, ms), m, None, "system"
    if k < 76:
        f = pick(STATUSES); t = pick(STATUSES)
        m.update(old_status=f, new_status=t, reason="workflow completed", changed_by_workflow=pick(WORKFLOWS),
                 previous_change_at="2025-06-%dT10:15:30Z" % (10+rnd.randrange(18)), transition_count=1+rnd.randrange(6),
                 host=pick(HOSTS), request_id=hx())
        return "status_changed", "system", "Status changed: %s \u2192 %s (workflow completed)" % (f, t), m, None, "system"
    if k < 84:
        v = pick(VENDORS)
        m.update(entity_type="vendor", entity_id=1+rnd.randrange(5000), entity_name=v, match_method="sender_domain",
                 match_score=round(rnd.random()*100)/100, external_system="e-conomic", external_id="V-%d" % rnd.randrange(100000),
                 host=pick(HOSTS), request_id=hx())
        return "linked", "integration", "Linked to vendor: " + v, m, None, "system"
    if k < 90:
        num = "INV-2025-%d" % (1+rnd.randrange(99999)); amt = round(rnd.random()*10000000)/100
        m.update(invoice_number=num, amount=amt, currency="DKK", success=True, vendor=pick(VENDORS),
                 due_date="2025-07-%d" % (10+rnd.randrange(18)), pages=1+rnd.randrange(6), extractor="pdf-text-v3",
                 file="invoice-%d.pdf" % rnd.randrange(1000000))
        return "invoice_extracted", "integration", "Invoice %s extracted (amount: %s)" % (num, amt), m, None, "system"
    if k < 97:
        ui = rnd.randrange(5); u = USERS[ui]
        m.update(user_name=u, client="web", user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0",
                 ip="10.0.%d.%d" % (rnd.randrange(256), rnd.randrange(256)), session_id=hx(), view="timeline")
        return "read", "user", "Email read by " + u, m, 1+ui, u
    t = pick(ERRORS)
    m.update(file="invoice-%d.pdf" % rnd.randrange(1000000), size=rnd.randrange(5000000), error_type=t,
             error_message="PDF corrupted: unexpected end of stream at offset %d" % rnd.randrange(1000000),
             attempt=1+rnd.randrange(3), host=pick(HOSTS), request_id=hx())
    return "error", "system", "Error: %s - PDF corrupted" % t, m, None, "system"

PG_EPOCH_MS = 946684800000
start_ms = 1750000000000   # 2025-06-15, created_at in UTC-as-local
rate = 80                  # rows per millisecond (80k rows/s)
f = open(out, 'wb', buffering=1 << 20)
if fmt == 'binary':
    f.write(b'PGCOPY\n\xff\r\n\x00' + b'\x00'*8)
def esc(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')
mdbytes = 0
for i in range(rows):
    newest = i // 10
    email = 1 + max(0, newest - rnd.randrange(50000))
    et, cat, desc, md, uid, by = ev(email)
    js = json.dumps(md, separators=(',', ':'), ensure_ascii=False).encode()
    mdbytes += len(js)
    micros = i * 1000 // rate * 1 + (i % rate) * 12  # increasing within each ms
    tsms = start_ms + i // rate
    ts_micros = (tsms - PG_EPOCH_MS) * 1000 + (i % rate) * 12
    msb = (tsms << 16) | 0x7000 | rnd.getrandbits(12)
    lsb = (rnd.getrandbits(64) & 0x3FFFFFFFFFFFFFFF) | 0x8000000000000000
    if fmt == 'binary':
        b = io.BytesIO()
        b.write(struct.pack('>h', 10 if with_id else 9))
        if with_id: b.write(struct.pack('>iq', 8, i + 1))
        b.write(struct.pack('>iQQ', 16, msb, lsb))
        b.write(struct.pack('>ii', 4, email))
        for s in (et, cat, desc):
            e = s.encode(); b.write(struct.pack('>i', len(e))); b.write(e)
        b.write(struct.pack('>ib', len(js) + 1, 1)); b.write(js)
        if uid is None: b.write(struct.pack('>i', -1))
        else: b.write(struct.pack('>ii', 4, uid))
        b.write(struct.pack('>iq', 8, ts_micros))
        e = by.encode(); b.write(struct.pack('>i', len(e))); b.write(e)
        f.write(b.getvalue())
    else:
        u = '%032x' % ((msb << 64) | lsb)
        uu = '%s-%s-%s-%s-%s' % (u[:8], u[8:12], u[12:16], u[16:20], u[20:])
        import datetime
        ts = (datetime.datetime(2000, 1, 1) + datetime.timedelta(microseconds=ts_micros)).isoformat(' ')
        cols = ([str(i + 1)] if with_id else []) + [uu, str(email), et, cat, esc(desc), esc(js.decode()),
                '\\N' if uid is None else str(uid), ts, by]
        f.write(('\t'.join(cols) + '\n').encode())
if fmt == 'binary':
    f.write(struct.pack('>h', -1))
f.close()
print("rows", rows, "avg metadata bytes", mdbytes / rows, file=sys.stderr)
