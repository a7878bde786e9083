package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several sealers on one database, as several application instances would run: one chain. */
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
        ExecutorService pool = Executors.newFixedThreadPool(SEALERS);
        List<Future<int[]>> results = new ArrayList<>();
        for (int i = 0; i < SEALERS; i++) {
            results.add(pool.submit(() -> {
                int sealed = 0;
                int skipped = 0;
                try (Connection connection = db.open()) {
                    Sealer sealer = new Sealer(fixture.key, IntegrityFixture.HOUR, IntegrityFixture.DELAY, fixture.clock);
                    start.await();
                    // Each keeps trying, as a scheduler would, until the chain is complete.
                    while (db.count("SELECT count(*) FROM email_activity_digest") < HOURS) {
                        Sealer.SealResult result = sealer.seal(connection);
                        sealed += result.windowsSealed();
                        skipped += result.skipped() ? 1 : 0;
                    }
                }
                return new int[] {sealed, skipped};
            }));
        }
        int sealed = 0;
        for (Future<int[]> result : results) {
            sealed += result.get(100, TimeUnit.SECONDS)[0];
        }
        pool.shutdown();

        assertThat(sealed).isEqualTo(HOURS);
        assertThat(db.count("SELECT count(*) FROM email_activity_digest")).isEqualTo(HOURS);
        assertThat(db.count("SELECT count(DISTINCT window_start) FROM email_activity_digest")).isEqualTo(HOURS);
        assertThat(db.count("SELECT max(seq) - min(seq) + 1 FROM email_activity_digest")).isEqualTo(HOURS);
        IntegrityFixture.Result verified = fixture.verify();
        assertThat(verified.report().intact()).isTrue();
        assertThat(verified.report().rowsChecked()).isEqualTo(HOURS * 59);
    }
}
