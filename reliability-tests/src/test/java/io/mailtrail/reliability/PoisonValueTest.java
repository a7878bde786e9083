package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.core.capture.InvocationCapture;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison values (fault 6) and re-entrancy (fault 7) through the real capture pipeline into the
 * real table: the method's outcome is what an uninstrumented call gives, and the other rows land.
 * Each instrumented call carries a sequence number ({@code #seq}, logged as metadata), so the
 * table can be checked call by call: every logged call once, none twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoisonValueTest {

    @TempDir
    Path spoolDir;

    static final class Cyclic {
        Cyclic next = this;

        public Cyclic getNext() {
            return next;
        }
    }

    static final class Deep {
        final Deep child;

        Deep(Deep child) {
            this.child = child;
        }

        public Deep getChild() {
            return child;
        }
    }

    static final class Throwing {
        @Override
        public String toString() {
            throw new IllegalStateException("toString fails");
        }
    }

    static final class Recursing {
        @Override
        public String toString() {
            return "r" + this; // loops until the stack overflows
        }
    }

    static final class NotSerializable {
        final Object lock = new Object();

        @Override
        public String toString() {
            return "not serializable";
        }
    }

    public static class Hub {
        MailtrailCapture capture;

        @LogsEmailEvent(type = "poison", description = "value #{#value}", emailId = "#id",
                metadata = {@Metadata(key = "value", value = "#value"), @Metadata(key = "seq", value = "#seq")})
        public String handle(Integer id, Object value, long seq) {
            return "ok " + (id == null ? "null" : id);
        }

        @LogsEmailEvent(type = "fails", description = "x", emailId = "#id", metadata = @Metadata(key = "seq", value = "#seq"))
        public String fail(Integer id, Object value, long seq) {
            throw new UnsupportedOperationException("business failure " + id);
        }

        @LogsEmailEvent(type = "outer", description = "outer #{#value}", emailId = "#id",
                metadata = {@Metadata(key = "value", value = "#value"), @Metadata(key = "seq", value = "#seq")})
        public String outer(Integer id, Object value, long seq) {
            return "outer";
        }

        /** Its expression names a getter of the argument: capture calls that getter (the developer's choice). */
        @LogsEmailEvent(type = "reenter", description = "reenter", emailId = "#id",
                metadata = {@Metadata(key = "value", value = "#value.reentry"), @Metadata(key = "seq", value = "#seq")})
        public String reenter(Integer id, Object value, long seq) {
            return "reenter " + id;
        }
    }

    /** An argument whose toString calls another annotated method (fault 7). */
    final class Reentrant {
        int depth;

        @Override
        public String toString() {
            depth++;
            return "re:" + outcome(() -> call("outer", 1, depth < 50 ? this : "stop"));
        }
    }

    /**
     * An argument whose getter, named in {@code reenter}'s metadata expression, calls
     * {@code reenter} again: capture re-enters itself from inside its own evaluation, up to the
     * 50 levels this getter allows before it stops recursing.
     */
    final class ReentrantGetter {
        int calls;
        int deepest;
        int depth;

        public String getReentry() {
            calls++;
            depth++;
            deepest = Math.max(deepest, depth);
            try {
                return "re:" + outcome(() -> call("reenter", 1, calls < 50 ? this : "stop"));
            } finally {
                depth--;
            }
        }
    }

    private Hub hub;
    /** Sequence numbers of the instrumented calls that log a row (those with an email id). */
    private final BitSet logged = new BitSet();
    private long nextSeq;

    @Test
    void poisonValuesNeverChangeTheOutcomeAndTheOtherRowsLand() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_poison";
        String url = cluster.createDatabase(db);
        Deep deep = null;
        for (int i = 0; i < 10_000; i++) {
            deep = new Deep(deep);
        }
        List<Object> poisons = List.of("nul \u0000 inside", "lone \uD800 surrogate", "x".repeat(10 * 1024 * 1024),
                new Cyclic(), deep, new Throwing(), new Recursing(), new NotSerializable(), new Object[] {null});
        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 64L << 20)) {
            hub = new Hub();
            hub.capture = MailtrailCapture.builder(writer).build();
            long maxCaptureNanos = 0;
            int calls = 0;
            for (Object poison : poisons) {
                for (Integer id : new Integer[] {1, null}) {
                    Object plain = outcome(() -> invoke("handle", id, poison));
                    long t0 = System.nanoTime();
                    Object instrumented = outcome(() -> call("handle", id, poison));
                    maxCaptureNanos = Math.max(maxCaptureNanos, System.nanoTime() - t0);
                    assertThat(instrumented).isEqualTo(plain);
                    assertThat(outcome(() -> call("fail", id, poison))).isEqualTo(outcome(() -> invoke("fail", id, poison)));
                    calls += 2;
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(maxCaptureNanos)).as("capture time bounded").isLessThan(2_000);
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            WriterStats stats = Faults.assertConserved(writer, cluster, db, logged);
            assertThat(stats.droppedTotal()).isZero();
            assertThat(cluster.count(db, "SELECT count(*) FROM email_activity_log WHERE email_id = 1"))
                    .as("every call with an id is logged").isEqualTo(calls / 2);
        }
    }

    @Test
    void reentrantToStringNeitherDeadlocksNorOverflowsAndLogsBoundedly() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_reentrant";
        String url = cluster.createDatabase(db);
        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 64L << 20)) {
            hub = new Hub();
            hub.capture = MailtrailCapture.builder(writer).build();
            Reentrant value = new Reentrant();
            assertThat(outcome(() -> call("handle", 7, value))).isEqualTo("ok 7");
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            WriterStats stats = Faults.assertConserved(writer, cluster, db, logged);
            assertThat(stats.written()).isBetween(1L, 200L);
            // Capture reads the argument's fields and never calls its toString, so this path
            // cannot re-enter: the one row is the call's own.
            assertThat(value.depth).as("toString calls by capture").isZero();
            assertThat(stats.written()).isEqualTo(1);
        }
    }

    /**
     * The re-entrant path capture really has: an expression that names a getter runs it, and a
     * getter may call another annotated method. Neither a deadlock nor a stack overflow; every
     * nested call is logged once and the count is bounded by what the application does.
     */
    @Test
    void reentrantGetterNamedByAnExpressionNeitherDeadlocksNorOverflowsAndLogsEachCallOnce() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_reentrant_getter";
        String url = cluster.createDatabase(db);
        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 64L << 20)) {
            hub = new Hub();
            hub.capture = MailtrailCapture.builder(writer).build();
            ReentrantGetter value = new ReentrantGetter();
            assertThat(outcome(() -> call("reenter", 7, value))).isEqualTo(outcome(() -> invoke("reenter", 7, value)));
            assertThat(value.calls).as("getter calls by capture (each one a nested annotated call)").isEqualTo(50);
            assertThat(value.deepest).as("capture re-entered itself this deep").isEqualTo(50);
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            WriterStats stats = Faults.assertConserved(writer, cluster, db, logged);
            assertThat(stats.droppedTotal()).isZero();
            assertThat(stats.written()).as("the outer call and its 50 nested calls, each once").isEqualTo(51);
            assertThat(cluster.count(db, "SELECT count(*) FROM email_activity_log WHERE metadata ->> 'value' LIKE 're:%'"))
                    .as("rows whose metadata holds the nested call's result").isEqualTo(50);
        }
    }

    /** The call as an aspect makes it, with the next sequence number: start, proceed, end with the outcome. */
    private Object call(String name, Integer id, Object value) throws Throwable {
        long seq = nextSeq++;
        if (id != null) {
            logged.set((int) seq);
        }
        Object[] args = {id, value, seq};
        Method method = method(name);
        InvocationCapture invocation = hub.capture.method(method).start(hub, args);
        Object result;
        try {
            result = method.invoke(hub, args);
        } catch (InvocationTargetException e) {
            invocation.end(null, e.getCause());
            throw e.getCause();
        }
        invocation.end(result, null);
        return result;
    }

    /** The same call without instrumentation. */
    private Object invoke(String name, Integer id, Object value) throws Throwable {
        try {
            return method(name).invoke(hub, id, value, -1L);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method method(String name) throws NoSuchMethodException {
        return Hub.class.getMethod(name, Integer.class, Object.class, long.class);
    }

    /** The result, or the thrown exception's class and message. */
    private static Object outcome(ThrowingCall call) {
        try {
            return call.run();
        } catch (Throwable t) {
            return t.getClass().getName() + ": " + Objects.toString(t.getMessage());
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        Object run() throws Throwable;
    }

}
