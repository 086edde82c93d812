package io.beacon.streams.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitives of the compact binary format ({@link CompactCodec}) to a growing byte array:
 * unsigned varints, zig-zag varints, fixed 8-byte doubles and nullable UTF-8 strings (length + 1 as a
 * varint, 0 for {@code null}). Not thread-safe; one per encode call.
 */
final class CompactWriter {
    private byte[] buf;
    private int len;

    CompactWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    /** A signed value, zig-zag encoded so that small negatives stay short. */
    void writeZigZag(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    void writeDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (bits >>> (i * 8));
        }
    }

    /** {@code null} as 0, otherwise the UTF-8 length + 1 and the bytes. */
    void writeString(String s) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(utf8.length + 1L);
        writeBytes(utf8);
    }

    /** {@code null} as 0, otherwise 1 and the zig-zag value. */
    void writeNullableLong(Long v) {
        if (v == null) {
            writeByte(0);
        } else {
            writeByte(1);
            writeZigZag(v);
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
