package io.mailtrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny filesystem of its own (a tmpfs of the given size) for the disk-full test, so the
 * kernel itself answers a write with {@code ENOSPC}, as a full disk does.
 *
 * <p>Mounting needs root (CAP_SYS_ADMIN), which this project's machines and CI have. Where it is
 * not permitted, {@link #mount} fails the test with the reason instead of skipping it: a skipped
 * disk-full test would read as a passed one. (Faking the failure inside the JVM would not test
 * what the README claims: that the spool survives the kernel's own error on a real full disk.)
 */
final class SmallDisk implements AutoCloseable {

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    static SmallDisk mount(long bytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mt-small-disk-");
        List<String> command = List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString());
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            exit = process.exitValue();
        } catch (IOException e) {
            output = e.toString();
            exit = -1;
        }
        if (exit != 0) {
            Files.deleteIfExists(dir);
            throw new AssertionError("the disk-full test needs a small filesystem of its own and could not mount one: "
                    + String.join(" ", command) + " exited " + exit + " (" + output + "); run it as root (CAP_SYS_ADMIN)."
                    + " It fails instead of skipping so that an untested guarantee never reads as a passed test.");
        }
        SmallDisk disk = new SmallDisk(dir);
        FileStore store = Files.getFileStore(dir);
        assertThat(store.type()).as("filesystem at %s", dir).isEqualTo("tmpfs");
        assertThat(store.getTotalSpace()).as("size of the small disk").isLessThanOrEqualTo(bytes);
        return disk;
    }

    Path dir() {
        return dir;
    }

    long usableBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            // Still busy (a file left open by a failed test): detach it now, the kernel frees it later.
            new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(dir);
    }
}
