package io.beacon.streams.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link CompactWriter} wrote. Any truncation or malformed length throws
 * {@link IllegalArgumentException}, which the serdes report as a deserialization failure.
 */
final class CompactReader {
    private final byte[] buf;
    private int pos;

    CompactReader(byte[] buf, int offset) {
        this.buf = buf;
        this.pos = offset;
    }

    private void need(int n) {
        if (n < 0 || pos + n > buf.length) {
            throw new IllegalArgumentException("truncated compact record at byte " + pos);
        }
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    byte[] readBytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long at byte " + pos);
    }

    long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    int readLength() {
        long n = readVarLong();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad length " + n + " at byte " + pos);
        }
        return (int) n;
    }

    double readDouble() {
        need(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (buf[pos++] & 0xFFL);
        }
        return Double.longBitsToDouble(bits);
    }

    String readString() {
        int n = readLength();
        if (n == 0) {
            return null;
        }
        need(n - 1);
        String s = new String(buf, pos, n - 1, StandardCharsets.UTF_8);
        pos += n - 1;
        return s;
    }

    Long readNullableLong() {
        return readByte() == 0 ? null : readZigZag();
    }

    boolean atEnd() {
        return pos == buf.length;
    }
}
