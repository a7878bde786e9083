package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Seals the log from inside the application, on its own daemon thread, every
 * {@link IntegritySettings#interval()}. Several instances of an application may all run one:
 * the database lets one seal and the others skip ({@link Sealer}).
 *
 * <p>It never throws into the host and never runs on a host thread: a missing or wrong key is
 * logged once at {@link #start()} and sealing stays off; a database failure is logged (at most
 * once per interval) and retried at the next tick. The host's writes never wait for it.
 */
public final class SealScheduler implements AutoCloseable {

    /** Consecutive intervals without the seal lock (or without time stamps from the TSA) after which an instance reports it. */
    static final int LOCK_SKIPS_REPORTED = 3;

    private static final System.Logger LOG = System.getLogger(SealScheduler.class.getName());

    private final IntegritySettings settings;
    private final DataSource dataSource;
    private final Clock clock;
    private final AtomicLong windowsSealed = new AtomicLong();
    private final AtomicLong lateDigests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong chainRewrittenRuns = new AtomicLong();
    private final AtomicLong lockSkippedInARow = new AtomicLong();
    private final AtomicLong retentionRefusedRuns = new AtomicLong();
    private final AtomicLong checkpointsStamped = new AtomicLong();
    private final AtomicLong timestampFailures = new AtomicLong();
    private final AtomicLong timestampFailedInARow = new AtomicLong();
    private volatile String problem;
    private volatile String timestampProblem;
    private ScheduledExecutorService executor;
    private Sealer sealer;
    private CheckpointStamper stamper;

    public SealScheduler(IntegritySettings settings, DataSource dataSource) {
        this(settings, dataSource, Clock.systemUTC());
    }

    SealScheduler(IntegritySettings settings, DataSource dataSource, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = clock;
    }

    /** Loads the key and starts the thread; returns false (and logs why) when it cannot. */
    public synchronized boolean start() {
        if (executor != null) {
            return true;
        }
        try {
            IntegrityKeys.SigningKey key = settings.loadKey();
            sealer = new Sealer(key, settings.window(), settings.delay(), clock).withCheckpoints(
                    settings.checkpoints() == null ? null : new CheckpointFile(settings.checkpoints()))
                    .withMinRetention(settings.minRetention());
            stamper = settings.tsaUrl() == null ? null : CheckpointStamper.load(settings.tsaUrl(),
                    settings.checkpoints(), SealScheduler.class.getClassLoader());
            if (stamper != null) {
                LOG.log(System.Logger.Level.INFO, "mailtrail: time-stamping checkpoints at {0} into {1}",
                        settings.tsaUrl(), stamper.stampFile());
            }
            LOG.log(System.Logger.Level.INFO, "mailtrail: sealing the log every {0} with key {1} (window {2}, delay {3})",
                    settings.interval(), key.keyId(), settings.window(), settings.delay());
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.ERROR, "mailtrail: integrity sealing is OFF: " + e.getMessage());
            return false;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "mailtrail-sealer");
            thread.setDaemon(true);
            return thread;
        });
        // A random first delay spreads the instances of a fleet started together.
        long first = (long) (Math.random() * settings.interval().toMillis());
        executor.scheduleWithFixedDelay(this::sealOnce, first, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** Windows and late digests this instance sealed, and failed attempts, since start. */
    public long windowsSealed() {
        return windowsSealed.get();
    }

    public long lateDigests() {
        return lateDigests.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Runs that sealed nothing because the database's chain no longer held the last checkpoint. */
    public long chainRewrittenRuns() {
        return chainRewrittenRuns.get();
    }

    /** Runs that refused to sign a retention run shorter than {@link IntegritySettings#minRetention()}. */
    public long retentionRefusedRuns() {
        return retentionRefusedRuns.get();
    }

    /** Consecutive runs that found the seal lock held by another session (0 after a run that got it). */
    public long lockSkippedInARow() {
        return lockSkippedInARow.get();
    }

    /** Checkpoints the timestamp authority ({@link IntegritySettings#tsaUrl()}) stamped since start. */
    public long checkpointsStamped() {
        return checkpointsStamped.get();
    }

    /** Runs after which a checkpoint stayed without a time stamp because the authority failed. */
    public long timestampFailures() {
        return timestampFailures.get();
    }

    /**
     * What keeps this instance from sealing as it should, or null: the chain no longer holds the
     * last checkpoint (it seals nothing until that is resolved), or the seal lock has been held by
     * another session for more than {@value #LOCK_SKIPS_REPORTED} intervals in a row, or the
     * timestamp authority has failed that many runs in a row (the chain is sealed, its newest
     * checkpoints have no time anchor).
     */
    public String problem() {
        String sealing = problem;
        return sealing != null ? sealing : timestampProblem;
    }

    /** One attempt now, on the caller's thread (tests, benchmarks); never throws. */
    public void sealOnce() {
        Sealer current;
        CheckpointStamper currentStamper;
        synchronized (this) {
            current = sealer;
            currentStamper = stamper;
        }
        if (current == null) {
            return;
        }
        boolean sealed = false;
        try (Connection connection = dataSource.getConnection()) {
            Sealer.SealResult result = current.seal(connection);
            windowsSealed.addAndGet(result.windowsSealed());
            lateDigests.addAndGet(result.lateDigests());
            noteLock(result.skipped());
            noteRefusedRetention(result.retentionRefused());
            sealed = true;
        } catch (ChainRewrittenException e) {
            // Never rate-limited away entirely: this is the one failure an auditor must hear about.
            if (chainRewrittenRuns.getAndIncrement() % 60 == 0) {
                LOG.log(System.Logger.Level.ERROR, "mailtrail: " + e.getMessage());
            }
            problem = e.getMessage();
        } catch (Exception | LinkageError e) {
            if (failures.getAndIncrement() % 60 == 0) {
                LOG.log(System.Logger.Level.WARNING, "mailtrail: sealing failed (retrying every "
                        + settings.interval() + "): " + e);
            }
        }
        if (sealed && currentStamper != null) {
            stamp(currentStamper);
        }
    }

    /**
     * Time-stamps the checkpoints that have none yet, after the seal and its connection are done:
     * the chain never waits for, or depends on, a third party. A checkpoint the authority does not
     * stamp stays un-stamped; this run counts and (rate-limited) logs it, the next run retries.
     */
    private void stamp(CheckpointStamper currentStamper) {
        String failure;
        try {
            CheckpointStamper.Stamping stamping = currentStamper.stampNew();
            checkpointsStamped.addAndGet(stamping.stamped());
            if (!stamping.failed()) {
                if (timestampFailedInARow.getAndSet(0) > 0) {
                    LOG.log(System.Logger.Level.INFO, "mailtrail: checkpoints time-stamped again at " + settings.tsaUrl());
                }
                timestampProblem = null;
                return;
            }
            failure = "the chain is sealed and checkpoint " + stamping.unstampedSeq()
                    + " written, but it has no time anchor: " + stamping.failure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception | LinkageError e) {
            failure = "checkpoints could not be time-stamped at " + settings.tsaUrl() + ": " + e;
        }
        if (timestampFailures.getAndIncrement() % 60 == 0) {
            LOG.log(System.Logger.Level.WARNING, "mailtrail: " + failure + " (retrying every " + settings.interval() + ")");
        }
        long inARow = timestampFailedInARow.incrementAndGet();
        if (inARow >= LOCK_SKIPS_REPORTED) {
            timestampProblem = failure + " (" + inARow + " runs in a row)";
        }
    }

    /**
     * A sealer in a fleet skips while another seals, a few seconds at most; a lock held across
     * several intervals is a stuck or hostile session keeping every instance from sealing.
     */
    private void noteLock(boolean skipped) {
        if (!skipped) {
            lockSkippedInARow.set(0);
            problem = null;
            return;
        }
        long inARow = lockSkippedInARow.incrementAndGet();
        if (inARow >= LOCK_SKIPS_REPORTED) {
            problem = "could not take the seal lock (email_activity_seal_state) for " + inARow
                    + " intervals in a row: another session holds it, and nothing is sealed meanwhile";
            if (inARow == LOCK_SKIPS_REPORTED || inARow % 60 == 0) {
                LOG.log(System.Logger.Level.WARNING, "mailtrail: " + problem);
            }
        }
    }

    /**
     * A retention run the sealer will not sign stays a finding of every verify until someone
     * looks: it is an error, reported like a rewritten chain (health DOWN with the reason).
     */
    private void noteRefusedRetention(java.util.List<String> refused) {
        if (refused.isEmpty()) {
            return;
        }
        String reason = "refused to sign " + refused.get(0) + (refused.size() > 1
                ? " (and " + (refused.size() - 1) + " more)" : "");
        if (retentionRefusedRuns.getAndIncrement() % 60 == 0) {
            LOG.log(System.Logger.Level.ERROR, "mailtrail: " + reason);
        }
        problem = reason;
    }

    /** Stops the thread, letting a seal in progress finish for up to {@code timeout}. */
    public synchronized void close(Duration timeout) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
