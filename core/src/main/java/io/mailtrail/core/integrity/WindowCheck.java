package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one window's rows against its digests. The fast path reads the rows once and compares
 * count and entries hash with what was signed; only when they differ does the second pass merge
 * the rows with the stored entries, in (created_at, id) order, to name each row that was
 * modified, deleted, inserted or moved, and to set apart rows a retention run removed.
 */
final class WindowCheck {

    /** Rows named per kind and window; beyond it verify counts. */
    private static final int NAMED_LIMIT = 1000;

    private final Connection connection;
    private final List<RetentionRecord> retention;
    private final Verifier.Progress progress;
    private final long maxLateMicros;
    /** One hasher per row encoding version, created when a digest of that version is first met. */
    private final RowHasher[] hashers = new RowHasher[RowHasher.CURRENT_VERSION + 1];

    WindowCheck(Connection connection, List<RetentionRecord> retention, Verifier.Progress progress,
            java.time.Duration maxLate) {
        this.maxLateMicros = maxLate.toNanos() / 1_000;
        this.connection = connection;
        this.retention = retention;
        this.progress = progress;
    }

    WindowVerdict check(Verifier.WindowPlan plan) throws SQLException {
        List<Finding> findings = new ArrayList<>(plan.findings);
        LocalDateTime cutoff = retentionCutoff();
        if (cutoff != null && !plan.end.isAfter(cutoff) && !anyRows(plan)) {
            // Wholly removed by retention: its signatures were checked with the chain, and its
            // stored entries are not read, so verify's time follows the rows kept, not every
            // window ever purged.
            long sealed = (plan.window == null ? 0 : plan.window.rowCount())
                    + plan.late.stream().mapToLong(Digest::rowCount).sum();
            if (sealed > 0) {
                findings.add(namedByRetention(plan) ? removedByRetention(sealed) : unnamedRemoval(plan, sealed));
            }
            return WindowVerdict.of(plan.start, plan.end, 0, findings);
        }
        // Late digests hold few rows: their entries are kept in memory, by id.
        Map<Long, Integer> lateIndex = new HashMap<>();
        List<Entry> lateEntries = new ArrayList<>();
        for (int i = 0; i < plan.late.size(); i++) {
            Digest late = plan.late.get(i);
            EntriesDigest stored = new EntriesDigest(late.encoding());
            long sealedAt = RowHasher.micros(late.sealedAt());
            for (Entry entry : storedEntries(late)) {
                stored.add(entry);
                checkLateness(entry, sealedAt, late, findings);
                lateEntries.add(entry);
                lateIndex.put(entry.id(), i);
            }
            if (!java.util.Arrays.equals(stored.finish(), late.entriesHash())) {
                findings.add(new Finding(Finding.Kind.EDITED_DIGEST, -1, "stored entries of digest "
                        + late.seq() + " do not match its signed hash"));
            }
        }
        lateEntries.sort(Entry::compareKey);
        boolean storedIntact = checkStoredEntries(plan.window, findings);

        EntriesDigest windowRows = new EntriesDigest(windowEncoding(plan));
        EntriesDigest[] lateRows = new EntriesDigest[plan.late.size()];
        for (int i = 0; i < lateRows.length; i++) {
            lateRows[i] = new EntriesDigest(plan.late.get(i).encoding());
        }
        long rows = 0;
        try (PreparedStatement statement = windowRows(plan); ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                Integer late = lateIndex.get(row.getLong(1));
                Entry entry = hasherFor(plan, late).entryOf(row);
                (late == null ? windowRows : lateRows[late]).add(entry);
                if ((++rows & 0xFFFF) == 0) {
                    progress.rows(0x10000);
                }
            }
        }
        progress.rows(rows & 0xFFFF);

        boolean intact = matches(windowRows, plan.window);
        long lateCount = 0;
        for (int i = 0; i < lateRows.length; i++) {
            intact &= matches(lateRows[i], plan.late.get(i));
            lateCount += plan.late.get(i).rowCount();
        }
        if (intact) {
            if (lateCount > 0 && findings.stream().noneMatch(Finding::failure)) {
                findings.add(new Finding(Finding.Kind.LATE_ROWS, -1, lateCount
                        + " rows arrived after the window was sealed; covered by late digest(s) "
                        + plan.late.stream().map(d -> String.valueOf(d.seq())).toList() + "; intact"));
            }
        } else {
            pinpoint(plan, lateEntries, lateIndex, storedIntact, findings);
        }
        return WindowVerdict.of(plan.start, plan.end, rows, findings);
    }

    /**
     * Every stored chunk of the window digest, hashed and compared with the signed entries hash,
     * on every run: fingerprints altered in place would otherwise go unseen until the rows
     * differ, and would then name the wrong rows.
     */
    private boolean checkStoredEntries(Digest window, List<Finding> findings) throws SQLException {
        if (window == null) {
            return true;
        }
        EntriesDigest stored = new EntriesDigest(window.encoding());
        try (PreparedStatement statement = RowHasher.binary(connection.prepareStatement(ChunkCursor.STORED_CHUNKS))) {
            statement.setFetchSize(4);
            statement.setLong(1, window.seq());
            try (ResultSet chunks = statement.executeQuery()) {
                while (chunks.next()) {
                    stored.addStored(chunks.getBytes(1)); // hashed as stored, not taken apart
                }
            }
        }
        if (stored.count() == window.rowCount() && java.util.Arrays.equals(stored.finish(), window.entriesHash())) {
            return true;
        }
        findings.add(new Finding(Finding.Kind.EDITED_DIGEST, -1, "stored entries of digest " + window.seq()
                + " do not match its signed hash (fingerprints altered or removed)"));
        return false;
    }

    /**
     * A row may arrive late (a spool replayed after an outage), but not arbitrarily late: a row
     * the writer role inserted with a created_at far in the past is a back-dated row, which the
     * sealer can only cover as late.
     */
    private void checkLateness(Entry entry, long sealedAtMicros, Digest late, List<Finding> findings) {
        long lateness = sealedAtMicros - entry.createdAtMicros();
        if (lateness > maxLateMicros && findings.size() < NAMED_LIMIT) {
            findings.add(new Finding(Finding.Kind.BACKDATED_ROW, entry.id(), "created_at "
                    + RowHasher.timestamp(entry.createdAtMicros()) + " but sealed by late digest " + late.seq()
                    + " only at " + late.sealedAt() + ", " + java.time.Duration.ofNanos(lateness * 1_000)
                    + " later: more than the allowed " + java.time.Duration.ofNanos(maxLateMicros * 1_000)
                    + " (back-dated when inserted?)"));
        }
    }

    private static int windowEncoding(Verifier.WindowPlan plan) {
        return plan.window == null ? RowHasher.CURRENT_VERSION : plan.window.encoding();
    }

    /** The hasher for a row: of the version of the late digest that lists it, else of the window digest. */
    private RowHasher hasherFor(Verifier.WindowPlan plan, Integer lateDigest) {
        int version = lateDigest == null ? windowEncoding(plan) : plan.late.get(lateDigest).encoding();
        if (!RowHasher.supports(version)) {
            version = RowHasher.CURRENT_VERSION; // the digest itself is reported as edited
        }
        RowHasher hasher = hashers[version];
        if (hasher == null) {
            hasher = new RowHasher(version);
            hashers[version] = hasher;
        }
        return hasher;
    }

    private static boolean matches(EntriesDigest actual, Digest digest) {
        if (digest == null) {
            return actual.count() == 0;
        }
        return actual.count() == digest.rowCount()
                && java.util.Arrays.equals(actual.finish(), digest.entriesHash());
    }

    /** Second pass: merge the rows with the signed entries to name what differs. */
    private void pinpoint(Verifier.WindowPlan plan, List<Entry> lateEntries, Map<Long, Integer> lateIndex,
            boolean storedIntact, List<Finding> findings) throws SQLException {
        LocalDateTime cutoff = retentionCutoff();
        long cutoffMicros = cutoff == null ? Long.MIN_VALUE : RowHasher.micros(cutoff);
        Map<Long, Entry> missing = new LinkedHashMap<>();
        Map<Long, Entry> extra = new LinkedHashMap<>();
        long retained = 0;
        long modified = 0;
        // Retention removes every row older than its cutoff, oldest first: a removed row newer
        // than a surviving row older than the cutoff was picked out by hand.
        long newestRetained = Long.MIN_VALUE;
        long oldestSurvivor = Long.MAX_VALUE;
        long survivorId = -1;
        try (ChunkCursor expected = new ChunkCursor(connection, plan.window, lateEntries,
                        new EntriesDigest(windowEncoding(plan)));
                PreparedStatement statement = windowRows(plan);
                ResultSet row = statement.executeQuery()) {
            Entry actual = row.next() ? hasherFor(plan, lateIndex.get(row.getLong(1))).entryOf(row) : null;
            Entry wanted = expected.next();
            while (actual != null || wanted != null) {
                int order = actual == null ? -1 : wanted == null ? 1 : wanted.compareKey(actual);
                if (order == 0) {
                    if (actual.createdAtMicros() < cutoffMicros && actual.createdAtMicros() < oldestSurvivor) {
                        oldestSurvivor = actual.createdAtMicros();
                        survivorId = actual.id();
                    }
                    if (!wanted.sameHash(actual) && modified++ < NAMED_LIMIT) {
                        findings.add(new Finding(Finding.Kind.MODIFIED_ROW, actual.id(),
                                "content differs from what was sealed"));
                    }
                    wanted = expected.next();
                    actual = row.next() ? hasherFor(plan, lateIndex.get(row.getLong(1))).entryOf(row) : null;
                } else if (order < 0) {
                    if (wanted.createdAtMicros() < cutoffMicros) {
                        retained++;
                        newestRetained = Math.max(newestRetained, wanted.createdAtMicros());
                    } else if (missing.size() < 100 * NAMED_LIMIT) {
                        missing.put(wanted.id(), wanted);
                    }
                    wanted = expected.next();
                } else {
                    if (extra.size() < 100 * NAMED_LIMIT) {
                        extra.put(actual.id(), actual);
                    }
                    actual = row.next() ? hasherFor(plan, lateIndex.get(row.getLong(1))).entryOf(row) : null;
                }
            }
        }
        if (!storedIntact) {
            findings.add(new Finding(Finding.Kind.EDITED_DIGEST, -1, "rows named in this window may be incomplete:"
                    + " the stored entries of digest " + plan.window.seq() + " were altered"));
        }
        if (modified > NAMED_LIMIT) {
            findings.add(new Finding(Finding.Kind.MODIFIED_ROW, -1, (modified - NAMED_LIMIT) + " more modified rows"));
        }
        // Same id on both sides: the row stayed in the window but its created_at changed.
        for (Long id : new ArrayList<>(missing.keySet())) {
            Entry now = extra.remove(id);
            if (now != null) {
                Entry sealed = missing.remove(id);
                findings.add(new Finding(Finding.Kind.MODIFIED_ROW, id, "created_at changed from "
                        + RowHasher.timestamp(sealed.createdAtMicros()) + " to "
                        + RowHasher.timestamp(now.createdAtMicros())));
            }
        }
        nameMissing(missing, findings);
        int named = 0;
        for (Entry entry : extra.values()) {
            if (named++ < NAMED_LIMIT) {
                findings.add(new Finding(Finding.Kind.INSERTED_ROW, entry.id(), "created_at "
                        + RowHasher.timestamp(entry.createdAtMicros()) + " is in this sealed window but in no digest"));
            }
        }
        if (extra.size() > NAMED_LIMIT) {
            findings.add(new Finding(Finding.Kind.INSERTED_ROW, -1, (extra.size() - NAMED_LIMIT) + " more inserted rows"));
        }
        if (retained > 0) {
            findings.add(namedByRetention(plan) ? removedByRetention(retained) : unnamedRemoval(plan, retained));
            if (oldestSurvivor < newestRetained) {
                findings.add(new Finding(Finding.Kind.SELECTIVE_DELETION, survivorId, "created_at "
                        + RowHasher.timestamp(oldestSurvivor) + " is older than the retention cutoff and survives,"
                        + " while sealed rows as new as " + RowHasher.timestamp(newestRetained)
                        + " are gone: retention removes all rows before its cutoff, not some"));
            }
        }
        if (findings.stream().noneMatch(Finding::failure) && retained == 0) {
            // The hash differed but no row could be named: the stored entries were altered too.
            findings.add(new Finding(Finding.Kind.EDITED_DIGEST, -1,
                    "rows do not match the signed hash and the stored entries cannot name them"));
        }
    }

    /** A sealed row gone from this window was either deleted or given another created_at. */
    private void nameMissing(Map<Long, Entry> missing, List<Finding> findings) throws SQLException {
        if (missing.isEmpty()) {
            return;
        }
        Map<Long, LocalDateTime> elsewhere = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, created_at FROM " + DigestStore.TRAIL + " WHERE id = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("bigint", missing.keySet().toArray()));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    elsewhere.put(row.getLong(1), row.getObject(2, LocalDateTime.class));
                }
            }
        }
        int named = 0;
        for (Entry entry : missing.values()) {
            if (named++ >= NAMED_LIMIT) {
                findings.add(new Finding(Finding.Kind.DELETED_ROW, -1, (missing.size() - NAMED_LIMIT)
                        + " more rows deleted or moved"));
                return;
            }
            LocalDateTime now = elsewhere.get(entry.id());
            LocalDateTime sealed = RowHasher.timestamp(entry.createdAtMicros());
            findings.add(now == null
                    ? new Finding(Finding.Kind.DELETED_ROW, entry.id(), "sealed with created_at " + sealed
                            + (archived(sealed) ? ", moved to the archive by " + RetentionRecord.ARCHIVE_PROCEDURE
                                    + " and no longer there" : ", no longer in the log"))
                    : new Finding(Finding.Kind.MOVED_ROW, entry.id(), "created_at changed from " + sealed
                            + " to " + now + " (" + (now.isBefore(sealed) ? "back-dated" : "forward-dated")
                            + " into another window)"));
        }
    }

    /**
     * Whether an accepted retention record names this window's digest among those it removed: the
     * procedures list every window digest whose window began before their cutoff, so a window whose
     * sealed rows are gone but which no signed run names lost them some other way. A window whose
     * digest is itself missing is reported with the chain.
     */
    private boolean namedByRetention(Verifier.WindowPlan plan) {
        if (plan.window == null) {
            return true;
        }
        for (RetentionRecord record : retention) {
            if (record.names(plan.window.digestHash())) {
                return true;
            }
        }
        return false;
    }

    private static Finding unnamedRemoval(Verifier.WindowPlan plan, long rows) {
        return new Finding(Finding.Kind.DELETED_ROW, -1, rows + " sealed rows older than a retention cutoff are gone,"
                + " but no accepted retention record names window digest " + plan.window.seq()
                + " among the windows it removed");
    }

    private boolean archived(LocalDateTime createdAt) {
        return retention.stream().anyMatch(record -> record.archives() && createdAt.isBefore(record.removedBefore()));
    }

    private Finding removedByRetention(long rows) {
        RetentionRecord record = retention.stream().filter(r -> !r.archives()).reduce((a, b) -> b).orElseThrow();
        return new Finding(Finding.Kind.REMOVED_BY_RETENTION, -1, rows + " rows removed by " + record.procedure()
                + " (noted " + record.notedAt() + ", removed before " + record.removedBefore() + ")");
    }

    private boolean anyRows(Verifier.WindowPlan plan) throws SQLException {
        return inLog(plan) || inArchive(plan);
    }

    private boolean inLog(Verifier.WindowPlan plan) throws SQLException {
        if (plan.inLog == null) {
            plan.inLog = exists("email_activity_log", plan);
        }
        return plan.inLog;
    }

    private boolean inArchive(Verifier.WindowPlan plan) throws SQLException {
        if (plan.inArchive == null) {
            plan.inArchive = exists("email_activity_log_archive", plan);
        }
        return plan.inArchive;
    }

    private boolean exists(String table, Verifier.WindowPlan plan) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE created_at >= ? AND created_at < ?)")) {
            statement.setObject(1, plan.start);
            statement.setObject(2, plan.end);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private LocalDateTime retentionCutoff() {
        return retention.stream().filter(record -> !record.archives()).map(RetentionRecord::removedBefore)
                .max(Comparator.naturalOrder()).orElse(null);
    }

    private PreparedStatement windowRows(Verifier.WindowPlan plan) throws SQLException {
        PreparedStatement statement = RowHasher.binary(connection.prepareStatement(
                DigestStore.windowRows(inLog(plan), inArchive(plan))));
        statement.setFetchSize(10_000);
        statement.setObject(1, plan.start);
        statement.setObject(2, plan.end);
        return statement;
    }

    private List<Entry> storedEntries(Digest digest) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (ChunkCursor cursor = new ChunkCursor(connection, digest, List.of(), new EntriesDigest(digest.encoding()))) {
            for (Entry entry = cursor.next(); entry != null; entry = cursor.next()) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
