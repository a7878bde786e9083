package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.integrity.IntegritySettings;
import io.mailtrail.core.integrity.SealScheduler;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The sealer's state reaches JMX under io.mailtrail:type=Sealer, read as an operator's console would. */
class SealerMBeanTest {

    @Test
    void aRegisteredSealerIsReadableOverJmx() throws Exception {
        SealScheduler scheduler = new SealScheduler(new IntegritySettings(null, null, null,
                Path.of("/nonexistent/mailtrail-signing.key"), null, null), new PGSimpleDataSource());
        ObjectName name = new ObjectName(SealerMBean.NAME);
        var server = ManagementFactory.getPlatformMBeanServer();
        try {
            assertThat(SealerMBean.register(scheduler)).isNull();
            assertThat(SealerMBean.register(scheduler)).contains("registered already");

            assertThat(server.getAttribute(name, "Healthy")).isEqualTo(true);
            assertThat(server.getAttribute(name, "Problem")).isEqualTo("");
            assertThat(server.getAttribute(name, "ChainRewrittenRuns")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "LockSkippedInARow")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "RetentionRefusedRuns")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "CheckpointsStamped")).isEqualTo(0L);
            assertThat(server.getAttribute(name, "TimestampFailures")).isEqualTo(0L);
        } finally {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        }
    }
}
