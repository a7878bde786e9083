package io.mailtrail.core.integrity;

import io.mailtrail.testsupport.TestDatabase;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A database with a few sealed windows, and the keys and clock that sealed them. */
final class IntegrityFixture {

    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DELAY = Duration.ofMinutes(5);

    final TestDatabase db;
    final IntegrityKeys.SigningKey key;
    final IntegrityKeys.VerifyingKey publicKey;
    Clock clock;

    IntegrityFixture(TestDatabase db) {
        this.db = db;
        KeyPair pair = IntegrityKeys.generate();
        this.key = new IntegrityKeys.SigningKey(IntegrityKeys.keyId(pair.getPublic()), pair.getPrivate());
        this.publicKey = new IntegrityKeys.VerifyingKey(key.keyId(), pair.getPublic());
    }

    /** Empties the log and every integrity table, as if freshly migrated. */
    void reset() throws SQLException {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive, email_activity_digest,"
                + " email_activity_digest_entries, email_activity_retention; UPDATE email_activity_seal_state SET late_scan_from_id = -1,"
                + " late_scan_next_id = -1");
    }

    /** Inserts a row as the writer would (server-assigned id) and returns its id. */
    long insert(LocalDateTime createdAt, int emailId, String description) throws SQLException {
        return db.count("INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                + " metadata, user_id, created_at, created_by) VALUES (?, 'read', 'user', ?,"
                + " '{\"folder\": \"inbox\", \"n\": 1}'::jsonb, ?, ?, 'system') RETURNING id",
                emailId, description, emailId % 3 == 0 ? null : emailId, createdAt);
    }

    /** Rows spread over the given hours (rowsPerHour each, a few seconds apart). */
    List<Long> insertHours(LocalDateTime firstHour, int hours, int rowsPerHour) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < rowsPerHour; i++) {
                ids.add(insert(firstHour.plusHours(h).plusSeconds(7L * i + 1), 100 * h + i, "hændelse € " + h + "/" + i));
            }
        }
        return ids;
    }

    Sealer.SealResult seal() throws SQLException {
        return seal(key, HOUR);
    }

    /** Seals as {@link #seal()}, refusing retention runs whose cutoff is younger than {@code minRetention}. */
    Sealer.SealResult seal(Duration minRetention) throws SQLException {
        try (Connection connection = db.open()) {
            return new Sealer(key, HOUR, DELAY, clock).withMinRetention(minRetention).seal(connection);
        }
    }

    Sealer.SealResult seal(IntegrityKeys.SigningKey with, Duration window) throws SQLException {
        try (Connection connection = db.open()) {
            return new Sealer(with, window, DELAY, clock).seal(connection);
        }
    }

    Result verify() throws SQLException {
        return verify(List.of(publicKey));
    }

    Result verify(List<IntegrityKeys.VerifyingKey> keys) throws SQLException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        try (Connection connection = db.open()) {
            VerifyReport report = new Verifier(keys, Duration.ofHours(2), clock).verify(connection, verdicts::add);
            return new Result(report, verdicts, List.of());
        }
    }

    /** A verify with outside evidence and bounds; the head it verified and chain findings are in the result. */
    Result verify(VerifyOptions options) throws SQLException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        List<Finding> chain = new ArrayList<>();
        try (Connection connection = db.open()) {
            VerifyReport report = new Verifier(List.of(publicKey), Duration.ofHours(2), clock, options)
                    .verify(connection, new VerifyListener() {
                        @Override
                        public void onWindow(WindowVerdict verdict) {
                            verdicts.add(verdict);
                        }

                        @Override
                        public void onChainFinding(Finding finding) {
                            chain.add(finding);
                        }
                    });
            return new Result(report, verdicts, chain);
        }
    }

    /** Seals with checkpoints kept in {@code file}, refusing retention runs shorter than {@code minRetention}. */
    Sealer.SealResult seal(CheckpointFile file, Duration minRetention) throws SQLException {
        try (Connection connection = db.open()) {
            return new Sealer(key, HOUR, DELAY, clock).withCheckpoints(file).withMinRetention(minRetention)
                    .seal(connection);
        }
    }

    /** Seals with checkpoints kept in {@code file}. */
    Sealer.SealResult seal(CheckpointFile file) throws SQLException {
        try (Connection connection = db.open()) {
            return new Sealer(key, HOUR, DELAY, clock).withCheckpoints(file).seal(connection);
        }
    }

    /** The same check on three worker connections sharing the verifying transaction's snapshot. */
    Result verifyInParallel() throws SQLException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        try (Connection connection = db.open()) {
            VerifyReport report = new Verifier(List.of(publicKey), Duration.ofHours(2), clock)
                    .verify(connection, db::open, 3, verdicts::add);
            return new Result(report, verdicts, List.of());
        }
    }

    static Clock clockAt(LocalDateTime utc) {
        return Clock.fixed(utc.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    }

    static LocalDateTime hourOf(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0);
    }

    record Result(VerifyReport report, List<WindowVerdict> verdicts, List<Finding> chainFindings) {

        WindowVerdict window(LocalDateTime start) {
            return verdicts.stream().filter(v -> v.start().equals(start)).findFirst()
                    .orElseThrow(() -> new AssertionError("no verdict for window " + start + " in " + verdicts));
        }

        List<Finding> findings() {
            return java.util.stream.Stream.concat(chainFindings.stream(),
                    verdicts.stream().flatMap(v -> v.findings().stream())).toList();
        }
    }
}
