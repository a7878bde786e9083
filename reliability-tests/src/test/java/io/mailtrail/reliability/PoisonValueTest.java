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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison values (fault 6) and re-entrancy (fault 7) through the real capture pipeline into the
 * real table: the method's outcome is what an uninstrumented call gives, and the other rows land.
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
                metadata = @Metadata(key = "value", value = "#value"))
        public String handle(Integer id, Object value) {
            return "ok " + (id == null ? "null" : id);
        }

        @LogsEmailEvent(type = "fails", description = "x", emailId = "#id")
        public String fail(Integer id, Object value) {
            throw new UnsupportedOperationException("business failure " + id);
        }

        @LogsEmailEvent(type = "outer", description = "outer #{#value}", emailId = "#id",
                metadata = @Metadata(key = "value", value = "#value"))
        public String outer(Integer id, Object value) {
            return "outer";
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

    private Hub hub;

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
            WriterStats stats = Faults.assertConserved(writer, cluster, db);
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
            WriterStats stats = Faults.assertConserved(writer, cluster, db);
            assertThat(stats.written()).isBetween(1L, 200L);
        }
    }

    /** The call as an aspect makes it: start, proceed, end with the outcome. */
    private Object call(String name, Object... args) throws Throwable {
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

    private Object invoke(String name, Object... args) throws Throwable {
        try {
            return method(name).invoke(hub, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method method(String name) throws NoSuchMethodException {
        return Hub.class.getMethod(name, Integer.class, Object.class);
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
