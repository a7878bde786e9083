package io.mailtrail.core.spool;

/**
 * When the spool forces its appends to the storage device. A process crash (SIGKILL, OOM
 * killer) loses nothing that was appended under any policy: the bytes are in the operating
 * system's page cache. An operating-system crash or power loss loses what was appended since
 * the last {@code fsync}.
 */
public enum FsyncPolicy {
    /** {@code fsync} after every append (one per batch the worker spools): no loss on an OS crash. */
    ALWAYS,
    /** {@code fsync} at most once per interval (default 1 s): an OS crash loses up to that interval of spooled events. */
    INTERVAL,
    /** Never {@code fsync} (close excepted): an OS crash loses what the kernel had not written back (typically up to 30 s). */
    NEVER
}
