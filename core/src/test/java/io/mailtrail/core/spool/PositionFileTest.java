package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The position file: 20 bytes, overwritten in place, and distrusted when damaged. */
class PositionFileTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatWasWrittenLast() {
        try (PositionFile file = new PositionFile(dir)) {
            assertThat(file.read()).isNull();
            assertThat(file.write(3, 100)).isTrue();
            assertThat(file.write(4, 8)).isTrue();
        }
        assertThat(new PositionFile(dir).read()).isEqualTo(new PositionFile.Position(4, 8));
    }

    @Test
    void isBigEndianSeqOffsetAndChecksum() throws IOException {
        try (PositionFile file = new PositionFile(dir)) {
            file.write(7, 1234);
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(PositionFile.FILE_NAME)));
        assertThat(bytes.remaining()).isEqualTo(20);
        assertThat(bytes.getLong()).isEqualTo(7);
        assertThat(bytes.getLong()).isEqualTo(1234);
        assertThat(bytes.getInt()).isEqualTo(new SpoolChecksum().of(bytes.array(), 0, 16));
    }

    @Test
    void aDamagedOrShortFileMeansReplayFromTheOldestSegment() throws IOException {
        try (PositionFile file = new PositionFile(dir)) {
            file.write(7, 1234);
        }
        Path path = dir.resolve(PositionFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(path);
        bytes[3] ^= 1;
        Files.write(path, bytes);
        assertThat(new PositionFile(dir).read()).isNull();
        Files.write(path, new byte[12]);
        assertThat(new PositionFile(dir).read()).isNull();
    }
}
