package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.settings.SettingCatalog;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * {@code mailtrail.spool.*}: the disk spool: while the database is away, events beyond what memory
 * holds are kept on disk and written, oldest first, when it is back (also after a restart). Off
 * unless dir is set.
 */
public class MailtrailSpoolProperties {

    /**
     * Directory of the spool (created if missing; one application instance per directory, it
     * is locked). Unset: no spool, events beyond the memory caps are dropped during an outage.
     */
    private String dir;

    /** Most disk the spool uses; beyond it events are dropped and counted (spool_full). */
    private DataSize maxBytes = DataSize.ofBytes(SettingCatalog.DEFAULT_SPOOL_MAX_BYTES);

    /**
     * When spooled events are forced to the device: always (each append, nothing lost on an OS
     * crash), interval (at most once per fsync-interval), never (the kernel decides).
     */
    private FsyncPolicy fsync = FsyncPolicy.INTERVAL;

    /** The interval of fsync=interval: what an operating-system crash may lose. */
    private Duration fsyncInterval = EventSpool.DEFAULT_FSYNC_INTERVAL;

    public String getDir() {
        return dir;
    }

    public void setDir(String dir) {
        this.dir = PropertyChecks.checkedSetting("spool.dir", dir);
    }

    public DataSize getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
        PropertyChecks.check(maxBytes != null, "mailtrail.spool.max-bytes", maxBytes, "must be set");
        PropertyChecks.checkedSetting("spool.maxBytes", maxBytes);
        this.maxBytes = maxBytes;
    }

    public FsyncPolicy getFsync() {
        return fsync;
    }

    public void setFsync(FsyncPolicy fsync) {
        this.fsync = PropertyChecks.checkedSetting("spool.fsync", fsync);
    }

    public Duration getFsyncInterval() {
        return fsyncInterval;
    }

    public void setFsyncInterval(Duration fsyncInterval) {
        this.fsyncInterval = PropertyChecks.checkedSetting("spool.fsyncInterval", fsyncInterval);
    }
}
