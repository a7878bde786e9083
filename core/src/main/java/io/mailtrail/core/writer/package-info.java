/**
 * Gets events from the application's threads to an {@link io.mailtrail.core.sink.EventSink}
 * without ever making a caller wait.
 *
 * <p>Entry point: {@link io.mailtrail.core.writer.AsyncEventWriter}, built with
 * {@link io.mailtrail.core.writer.AsyncEventWriter#builder}
 * ({@link io.mailtrail.core.writer.AsyncEventWriterBuilder}); its counters are read as
 * {@link io.mailtrail.core.writer.WriterStats}.
 *
 * <p>The classes behind it are split by the thread that owns their fields. Callers:
 * {@code AsyncEventWriter} admits an event ({@code WriterCounters}, one atomic add) and hands it
 * over through the lock-free {@code MpscRing}, waking the worker only when it waits for that event
 * ({@code WorkerWakeup}). Shared: {@code WriterCounters} keeps
 * {@code accepted = written + pending + spooled + dropped} and produces the stats;
 * {@code CloseSignal} carries close()'s deadline to the worker. Worker only: {@code WriterWorker}
 * batches, {@code BatchDelivery} writes a batch (retry, bisection, sanitised fallback), and
 * {@code SpooledDelivery} spills to and replays from the disk spool in the modes of
 * {@code SpoolMode}.
 */
package io.mailtrail.core.writer;
