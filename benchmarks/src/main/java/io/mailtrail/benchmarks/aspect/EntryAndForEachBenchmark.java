package io.mailtrail.benchmarks.aspect;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.benchmarks.aspect.woven.WovenMailbox;
import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code #entry} and {@code forEach} cost a caller, through the aspect woven at compile time:
 * <ul>
 *   <li>{@code inPlace} vs {@code inPlaceWithEntry}: one in-place status change logged with its
 *       new status, and with its old status too ({@code #entry(#mail.status)}, one value taken at
 *       entry); the difference is the cost of one entry value;</li>
 *   <li>{@code batchUnlogged} vs {@code batchForEach}: a batch of {@code elements} mails archived
 *       in one call, unannotated and with {@code forEach} (one event per mail); the difference
 *       divided by {@code elements} is the cost per element.</li>
 * </ul>
 * Events go to a draining {@link AsyncEventWriter} over a sink that discards batches
 * ({@code writer}) or to a recorder that drops them ({@code discard}), as in
 * {@link AspectOverheadBenchmark}.
 *
 * <pre>{@code
 * java -cp ... org.openjdk.jmh.Main EntryAndForEachBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EntryAndForEachBenchmark {

    @Param({"writer", "discard"})
    public String recorder;

    /** Mails per batch call. */
    @Param({"10", "100"})
    public int elements;

    private AsyncEventWriter writer;
    private MailtrailCapture capture;
    private WovenMailbox mailbox;
    private WovenMailbox.Mail mail;
    private List<WovenMailbox.Mail> batch;
    private boolean flip;

    @Setup(Level.Trial)
    public void setUp() {
        writer = AsyncEventWriter.builder(EventSink.noop()).maxQueuedEvents(200_000).build();
        EventRecorder events = "writer".equals(recorder) ? writer : event -> true;
        capture = MailtrailCapture.builder(events).build();
        EmailActivityAspect.aspectOf().configure(capture);
        mailbox = new WovenMailbox();
        mail = new WovenMailbox.Mail(123, "open");
        batch = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            batch.add(new WovenMailbox.Mail(1000 + i, "open"));
        }
        long before = capture.stats().recorded();
        mailbox.setStatusWithEntry(123, mail, "closed");
        mailbox.archive(batch, "archived");
        if (capture.stats().recorded() != before + 1 + elements) {
            throw new IllegalStateException("expected one event plus one per element, got " + capture.stats());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        EmailActivityAspect.aspectOf().reset();
        writer.close(Duration.ofSeconds(10));
        System.out.println();
        System.out.println("capture: " + capture.stats());
        System.out.println("writer: " + writer.stats());
    }

    @Benchmark
    public void inPlace() {
        mailbox.setStatus(123, mail, status());
    }

    @Benchmark
    public void inPlaceWithEntry() {
        mailbox.setStatusWithEntry(123, mail, status());
    }

    @Benchmark
    public void batchUnlogged() {
        mailbox.archiveUnlogged(batch, status());
    }

    @Benchmark
    public void batchForEach() {
        mailbox.archive(batch, status());
    }

    /** Alternates, so that every call really changes the status. */
    private String status() {
        flip = !flip;
        return flip ? "open" : "closed";
    }
}
