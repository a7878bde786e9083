package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Signs retention runs into the chain: every record of {@code email_activity_retention} that no
 * retention digest signs yet gets one, whose entries hash is the record's hash and whose window
 * is the instant of its cutoff. Verify then accepts rows as removed by retention only under a
 * signed record, and an altered record no longer matches what was signed.
 *
 * <p>A record the sealer would not have let happen is refused, never signed: a cutoff after the
 * time the run was noted (no honest run removes the future), and, when a minimum retention is
 * set, a cutoff younger than that minimum at the time of signing (a {@code purge(0)} under cover
 * of "retention"). Refused records stay unsigned, so verify reports them and the rows they
 * removed.
 */
final class RetentionSealer {

    /** What one pass did; {@code refused} names each record it would not sign, and why. */
    record Result(int signed, List<String> refused, boolean skipped) {
    }

    /** How far the database's clock (noted_at) may run ahead of the sealer's. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Connection connection;
    private final IntegrityKeys.SigningKey key;
    private final Clock clock;
    private final int encoding;
    private final Duration minRetention;

    RetentionSealer(Connection connection, IntegrityKeys.SigningKey key, Clock clock, int encoding,
            Duration minRetention) {
        this.connection = connection;
        this.key = key;
        this.clock = clock;
        this.encoding = encoding;
        this.minRetention = minRetention;
    }

    /** One transaction: lock, sign every unsigned record that passes, commit. */
    Result sealRecords() throws SQLException {
        if (!Sealer.lockState(connection)) {
            connection.rollback();
            return new Result(0, List.of(), true);
        }
        Set<String> signed = RetentionLedger.signedRecordHashes(connection);
        LocalDateTime now = RowHasher.timestamp(RowHasher.micros(LocalDateTime.ofInstant(clock.instant(),
                ZoneOffset.UTC)));
        int count = 0;
        List<String> refused = new ArrayList<>();
        for (RetentionRecord record : RetentionLedger.read(connection)) {
            byte[] hash = record.hash();
            if (signed.contains(HexFormat.of().formatHex(hash))) {
                continue;
            }
            String why = refusal(record, now);
            if (why != null) {
                refused.add(record.describe() + ": " + why);
                continue;
            }
            Digest previous = DigestStore.last(connection);
            DigestStore.insert(connection, Digest.sign(previous == null ? 1 : previous.seq() + 1, encoding,
                    Digest.Kind.RETENTION, record.removedBefore(), record.removedBefore(),
                    record.rowCount() == null ? 0 : record.rowCount(), hash,
                    previous == null ? Digest.GENESIS : previous.digestHash(), key, now));
            count++;
        }
        connection.commit();
        return new Result(count, List.copyOf(refused), false);
    }

    private String refusal(RetentionRecord record, LocalDateTime now) {
        if (record.notedAt().isAfter(now.plus(CLOCK_SKEW))) {
            return "it is noted at a time still to come (" + record.notedAt() + ")";
        }
        if (record.removedBefore().isAfter(record.notedAt())) {
            return "its cutoff lies after the time it was noted; no retention run removes rows from the future";
        }
        if (minRetention != null && Duration.between(record.removedBefore(), now).compareTo(minRetention) < 0) {
            return "its cutoff is only " + Duration.between(record.removedBefore(), now)
                    + " old, younger than the minimum retention " + minRetention + "; not signed";
        }
        return null;
    }
}
