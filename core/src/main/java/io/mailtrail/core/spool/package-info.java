/**
 * The disk spool: the writer's overflow while the database is away.
 *
 * <p>Entry point: {@link io.mailtrail.core.spool.EventSpool}, opened by the writer with a
 * {@link io.mailtrail.core.spool.FsyncPolicy}; everything else here is package-private and serves
 * it. The rooms, in the order data travels:
 * {@link io.mailtrail.core.spool.DirectoryLock} keeps a second writer out of the directory;
 * {@link io.mailtrail.core.spool.SpoolRecovery} verifies what an earlier run left (reading
 * {@link io.mailtrail.core.spool.PositionFile});
 * {@link io.mailtrail.core.spool.SegmentAppender} appends records encoded by
 * {@link io.mailtrail.core.spool.SpoolCodec} and framed by
 * {@link io.mailtrail.core.spool.SegmentFormat} (the on-disk format, the one place that knows it);
 * {@link io.mailtrail.core.spool.SegmentReader} reads them back for replay;
 * {@link io.mailtrail.core.spool.FsyncSchedule} says when to force them to the device.
 */
package io.mailtrail.core.spool;
