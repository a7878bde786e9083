package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment format without a spool around it: names, header, framing and the intact-prefix scan. */
class SegmentFormatTest {

    @TempDir
    Path dir;

    private final SpoolChecksum checksum = new SpoolChecksum();

    @Test
    void namesSortByTheirSequenceAndParseBack() {
        assertThat(SegmentFormat.fileName(42)).isEqualTo("segment-00000000000000000042.spool");
        assertThat(SegmentFormat.seqOf(SegmentFormat.fileName(42))).isEqualTo(42);
        assertThatThrownBy(() -> SegmentFormat.seqOf("segment-x.spool")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void aNewSegmentIsItsHeaderAndRefusesToOverwrite() throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(0));
        try (FileChannel channel = SegmentFormat.create(path)) {
            assertThat(SegmentFormat.hasHeader(channel)).isTrue();
        }
        assertThat(Files.readAllBytes(path)).isEqualTo("MTSPOOL1".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SegmentFormat.create(path)).isInstanceOf(IOException.class);
    }

    @Test
    void framesRecordsAsLengthChecksumPayload() {
        byte[] payload = {1, 2, 3};
        ByteBuffer framed = SegmentFormat.frame(List.of(payload), SegmentFormat.RECORD_HEADER + 3, checksum);
        assertThat(framed.getInt()).isEqualTo(3);
        assertThat(framed.getInt()).isEqualTo(checksum.of(payload, 0, 3));
        assertThat(framed.remaining()).isEqualTo(3);
    }

    @Test
    void scanStopsAtATornTailAndAtACorruptRecord() throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(0));
        byte[] a = {10, 11};
        byte[] b = {20, 21, 22};
        try (FileChannel channel = SegmentFormat.create(path)) {
            ChannelIo.writeFully(channel, SegmentFormat.frame(List.of(a, b), 16 + 5, checksum), SegmentFormat.HEADER);
        }
        long intactEnd = SegmentFormat.HEADER + 16 + 5;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(SegmentFormat.scan(channel, channel.size(), checksum))
                    .isEqualTo(new SegmentFormat.Scan(intactEnd, 2));
            // a torn append: a header whose payload never made it
            ChannelIo.writeFully(channel, ByteBuffer.allocate(8).putInt(100).putInt(0).flip(), intactEnd);
            assertThat(SegmentFormat.scan(channel, channel.size(), checksum))
                    .isEqualTo(new SegmentFormat.Scan(intactEnd, 2));
            // a flipped payload byte in the second record ends the intact prefix before it
            ChannelIo.writeFully(channel, ByteBuffer.wrap(new byte[] {99}), SegmentFormat.HEADER + 8 + 2 + 8);
            assertThat(SegmentFormat.scan(channel, channel.size(), checksum))
                    .isEqualTo(new SegmentFormat.Scan(SegmentFormat.HEADER + 8 + 2, 1));
        }
    }

    @Test
    void aFileWithoutTheMagicHasNoHeader() throws IOException {
        Path path = Files.write(dir.resolve("other"), "MTSPOOL2".getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            assertThat(SegmentFormat.hasHeader(channel)).isFalse();
        }
    }
}
