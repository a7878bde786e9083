package io.mailtrail.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BigEndianBufferTest {

    @Test
    void writesInNetworkOrderAsByteBufferDoesAndGrowsAsNeeded() {
        BigEndianBuffer buffer = new BigEndianBuffer(2);
        ByteBuffer expected = ByteBuffer.allocate(64); // big-endian by default

        buffer.putByte(0xAB);
        expected.put((byte) 0xAB);
        buffer.putShort(-1);
        expected.putShort((short) -1);
        buffer.putInt(0x01020304);
        expected.putInt(0x01020304);
        buffer.putLong(-2L);
        expected.putLong(-2L);
        buffer.put(new byte[] {9, 8, 7});
        expected.put(new byte[] {9, 8, 7});

        assertThat(buffer.length()).isEqualTo(expected.position());
        assertThat(Arrays.copyOf(buffer.array(), buffer.length()))
                .isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
    }

    @Test
    void clearStartsOverAndKeepsTheArray() {
        BigEndianBuffer buffer = new BigEndianBuffer(4);
        buffer.putLong(1L);
        byte[] grown = buffer.array();

        buffer.clear();
        buffer.putInt(7);

        assertThat(buffer.length()).isEqualTo(4);
        assertThat(buffer.array()).isSameAs(grown);
        assertThat(Arrays.copyOf(buffer.array(), 4)).containsExactly(0, 0, 0, 7);
    }
}
