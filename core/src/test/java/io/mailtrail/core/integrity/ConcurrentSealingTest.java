package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several sealers on one database, as several application instances would run: one chain. A
 * sealer that finds the seal state locked by another skips ({@link Sealer.SealResult#skipped()})
 * and seals nothing: the test first holds that lock itself, so every sealer's first call must
 * skip, then lets them race.
 */
@MailtrailDatabase
class ConcurrentSealingTest {

    private static final int SEALERS = 4;
    private static final int HOURS = 48;

    @Test
    @Timeout(120)
    void sealersRacingOnOneDatabaseProduceOneChain(TestDatabase db) throws Exception {
        IntegrityFixture fixture = new IntegrityFixture(db);
        LocalDateTime h0 = LocalDateTime.of(2026, 2, 1, 0, 0);
        fixture.clock = IntegrityFixture.clockAt(h0.plusHours(HOURS).plusMinutes(10));
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                + " created_at) SELECT g, 'read', 'user', 'row ' || g, ? + g * interval '61 seconds'"
                + " FROM generate_series(0, ?) g", h0, HOURS * 59 - 1);
        CyclicBarrier start = new CyclicBarrier(SEALERS);
        CountDownLatch firstCallsDone = new CountDownLatch(SEALERS);
        CountDownLatch released = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SEALERS);
        List<Future<Tally>> results = new ArrayList<>();
        try (Connection holder = db.open()) {
            // Another instance in the middle of a step: it holds the seal state's row.
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT 1 FROM email_activity_seal_state FOR UPDATE");
            }
            for (int i = 0; i < SEALERS; i++) {
                results.add(pool.submit(() -> {
                    try (Connection connection = db.open()) {
                        Sealer sealer = new Sealer(fixture.key, IntegrityFixture.HOUR, IntegrityFixture.DELAY,
                                fixture.clock);
                        start.await();
                        Sealer.SealResult first = sealer.seal(connection);
                        firstCallsDone.countDown();
                        released.await();
                        Tally tally = new Tally(first, first.windowsSealed(), first.skipped() ? 1 : 0);
                        // Each keeps trying, as a scheduler would, until the chain is complete.
                        while (db.count("SELECT count(*) FROM email_activity_digest") < HOURS) {
                            Sealer.SealResult result = sealer.seal(connection);
                            tally = tally.plus(result);
                        }
                        return tally;
                    }
                }));
            }
            assertThat(firstCallsDone.await(60, TimeUnit.SECONDS)).as("every sealer made its first call").isTrue();
            assertThat(db.count("SELECT count(*) FROM email_activity_digest"))
                    .as("nothing sealed while the state is locked").isZero();
            holder.rollback();
        } finally {
            released.countDown();
        }
        int sealed = 0;
        int skipped = 0;
        for (Future<Tally> result : results) {
            Tally tally = result.get(100, TimeUnit.SECONDS);
            assertThat(tally.first().skipped()).as("a sealer that finds the state locked skips: %s", tally.first())
                    .isTrue();
            assertThat(tally.first().windowsSealed()).isZero();
            assertThat(tally.first().lateDigests()).isZero();
            sealed += tally.sealed();
            skipped += tally.skipped();
        }
        pool.shutdown();

        assertThat(skipped).as("skipped calls, at least each sealer's first").isGreaterThanOrEqualTo(SEALERS);
        assertThat(sealed).isEqualTo(HOURS);
        assertThat(db.count("SELECT count(*) FROM email_activity_digest")).isEqualTo(HOURS);
        assertThat(db.count("SELECT count(DISTINCT window_start) FROM email_activity_digest")).isEqualTo(HOURS);
        assertThat(db.count("SELECT max(seq) - min(seq) + 1 FROM email_activity_digest")).isEqualTo(HOURS);
        IntegrityFixture.Result verified = fixture.verify();
        assertThat(verified.report().intact()).isTrue();
        assertThat(verified.report().rowsChecked()).isEqualTo(HOURS * 59);
    }

    /** One sealer's calls: its first (made while the state was locked), windows sealed and calls skipped in all. */
    private record Tally(Sealer.SealResult first, int sealed, int skipped) {
        Tally plus(Sealer.SealResult result) {
            return new Tally(first, sealed + result.windowsSealed(), skipped + (result.skipped() ? 1 : 0));
        }
    }
}
