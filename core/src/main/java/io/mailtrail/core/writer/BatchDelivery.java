package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.postgres.SchemaCheck;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Gets one batch into the sink: retries transient failures with exponential backoff, splits a
 * batch the sink rejects for its content in halves until the offending event is alone (so the
 * others still land), and stores that event once more in sanitised form (see
 * {@link RejectedEvents}) before dropping it. Worker only.
 */
final class BatchDelivery {

    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    private final EventSink sink;
    private final WriterCounters counters;
    private final CloseSignal close;
    private final RateLimitedLog failureLog;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    /** Only for the retry message: with a spool, a failed batch waits there, not in memory. */
    private final boolean spoolBacked;
    /** Written by the worker thread only: whether the missing table was logged since the last write. */
    private boolean missingTableReported;

    BatchDelivery(EventSink sink, WriterCounters counters, CloseSignal close, RateLimitedLog failureLog,
            long initialBackoffNanos, long maxBackoffNanos, boolean spoolBacked) {
        this.sink = sink;
        this.counters = counters;
        this.close = close;
        this.failureLog = failureLog;
        this.initialBackoffNanos = initialBackoffNanos;
        this.maxBackoffNanos = maxBackoffNanos;
        this.spoolBacked = spoolBacked;
    }

    /**
     * Writes {@code events} without a spool: transient failures are retried in memory, with
     * backoff, until everything is done or the close deadline passes; what is left then is
     * dropped as {@link DropReason#SHUTDOWN} (close() reports the total).
     */
    void writeWithRetry(List<EmailEvent> events) {
        long backoff = initialBackoffNanos;
        int done = 0;
        while (true) {
            done += writePrefix(events.subList(done, events.size()));
            if (done == events.size()) {
                return;
            }
            if (!sleepBeforeRetry(backoff)) {
                counters.countDropped(DropReason.SHUTDOWN, events.size() - done);
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoffNanos);
        }
    }

    /**
     * One attempt at {@code events}.
     *
     * @return how many leading events are done (written, stored sanitised or dropped as
     *         rejected); fewer than all when the sink failed transiently at the next one
     */
    int writePrefix(List<EmailEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        try {
            sink.write(events);
            missingTableReported = false;
            counters.countWritten(events.size());
            return events.size();
        } catch (SinkException e) {
            if (!e.retryable()) {
                return isolateRejected(events, e);
            }
            counters.countRetry();
            String message = "Mailtrail could not write " + events.size() + " events, will retry"
                    + (spoolBacked ? " (spooling meanwhile)" : "") + ": " + e.getMessage();
            if (!SchemaCheck.isMissingTable(e)) {
                failureLog.warn("retry", () -> message);
            } else if (!missingTableReported) {
                // A missing table does not heal by itself: say it once, with what to do, rather
                // than every 30 s; the retries go on (quietly) until someone creates it.
                missingTableReported = true;
                LOG.log(Level.ERROR, message);
            }
            return 0;
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error bug) {
            // A sink that throws unchecked is broken for this content: treat as rejected,
            // so the worker survives and the rest of the batch still lands.
            return isolateRejected(events, new SinkException(bug.toString(), false, bug));
        }
    }

    /** Splits a rejected batch in halves, in order, until the offending events are alone. */
    private int isolateRejected(List<EmailEvent> events, SinkException e) {
        if (events.size() == 1) {
            return storeRejected(events.get(0), e) ? 1 : 0;
        }
        int middle = events.size() / 2;
        int first = writePrefix(events.subList(0, middle));
        if (first < middle) {
            return first;
        }
        return middle + writePrefix(events.subList(middle, events.size()));
    }

    /**
     * A single event the sink refused for its content is stored once more, sanitised; only when
     * that is refused too is it dropped. Never retried forever.
     *
     * @return false when the sanitised attempt failed transiently (the event stays pending)
     */
    private boolean storeRejected(EmailEvent event, SinkException e) {
        String sqlState = sqlState(e);
        try {
            sink.write(List.of(RejectedEvents.sanitised(event, sqlState)));
            counters.countWritten(1);
            counters.countSanitised();
            LOG.log(Level.WARNING, "Mailtrail stored event " + event.eventId() + " (" + event.eventType()
                    + ") in sanitised form (metadata replaced) after the sink rejected it: " + e.getMessage());
            return true;
        } catch (SinkException again) {
            if (again.retryable()) {
                counters.countRetry();
                return false;
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error bug) {
            // fall through: dropped
        }
        counters.countDropped(DropReason.REJECTED, 1);
        LOG.log(Level.WARNING, "Mailtrail dropped event " + event.eventId()
                + " (" + event.eventType() + ") that the sink rejected, even sanitised: " + e.getMessage());
        return true;
    }

    private static String sqlState(SinkException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "unknown";
    }

    /** @return false when the close deadline has passed and retrying must stop */
    private boolean sleepBeforeRetry(long backoffNanos) {
        long wakeAt = System.nanoTime() + backoffNanos;
        while (true) {
            long now = System.nanoTime();
            if (close.deadlinePassed(now)) {
                return false;
            }
            if (now - wakeAt >= 0) {
                return true;
            }
            long sleep = wakeAt - now;
            if (close.stopping()) {
                sleep = Math.min(sleep, Math.max(0, close.deadlineNanos() - now));
            }
            LockSupport.parkNanos(this, Math.max(sleep, 1));
            if (Thread.interrupted()) {
                return false;
            }
        }
    }
}
