package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two writers on one spool directory would interleave appends and replays: the second is refused. */
class SpoolLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondOpenInThisJvmIsRefusedUntilTheFirstCloses() throws IOException {
        EventSpool first = open(dir);
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("is in use by another writer in this JVM");
        first.close();
        open(dir).close();
    }

    @Test
    @Timeout(60)
    void anotherProcessHoldingTheDirectoryKeepsUsOut() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another process");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // a killed holder leaves no lock behind
        open(dir).close();
    }

    @Test
    void aDirectoryThatCanNotBeCreatedIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> open(file.resolve("spool"))).isInstanceOf(IOException.class);
    }

    private static EventSpool open(Path dir) throws IOException {
        return EventSpool.open(dir, 1 << 20, FsyncPolicy.NEVER, Duration.ofSeconds(1));
    }

    /** Holds the spool in a separate JVM until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            EventSpool.open(Path.of(args[0]), 1 << 20, FsyncPolicy.NEVER, Duration.ofSeconds(1));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
