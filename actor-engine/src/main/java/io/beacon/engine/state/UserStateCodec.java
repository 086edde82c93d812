package io.beacon.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.engine.journeys.JourneyRunsCodec;
import io.beacon.engine.journeys.UserJourneys;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary form of a {@link UserState}: what the partition store and the changelog topic hold. It
 * is written on every change, so it is compact (variable-length integers, delta-encoded bucket
 * indexes, only non-empty buckets) and needs no reflection.
 *
 * <p>Format version {@value #VERSION}: a version byte, then the fields in declaration order of
 * {@link #encode}. Decoding refuses unknown versions; a later format adds a version and keeps
 * reading this one. Version 2 (scores by models, issue 18) adds to version 1 each score's model version and
 * crossing count, and at the end the all-events series, the last scoring time and the next scoring time. A
 * version-1 state decodes with its all-events series rebuilt from the per-name counters (exact for tracked names;
 * events past the names cap, which version 1 kept only as a total, count in the all-time total alone), never
 * scored, and no scoring due. Version 3 (journeys, issue 19) adds at the end the user's journeys in
 * {@link JourneyRunsCodec} form (an empty block for a user in no journey); versions 1 and 2 decode with none.
 */
public final class UserStateCodec {
    public static final byte VERSION = 3;
    /** The format before journeys: still read. */
    public static final byte VERSION_2 = 2;
    /** The format before scores by models: still read. */
    public static final byte VERSION_1 = 1;

    private static final byte[] NO_JOURNEYS = new byte[0];

    private UserStateCodec() {
    }

    /** Each thread's encoding buffer: states are encoded on every change, so the buffer is reused, not allocated. */
    private static final ThreadLocal<Out> BUFFER = ThreadLocal.withInitial(() -> new Out(4096));

    public static byte[] encode(UserState s) {
        Out o = BUFFER.get();
        o.pos = 0;
        if (o.buf.length > 1 << 20) {
            o.buf = new byte[4096]; // do not keep one outsized state's buffer for good
        }
        o.b(VERSION);
        o.str(s.projectId());
        o.str(s.personId());
        o.zl(s.firstSeenMs);
        o.zl(s.lastSeenMs);
        o.zl(s.clockMs);
        o.zl(s.appliedOffset);
        o.zl(s.partition);
        o.zl(s.nextTimerAtMs);
        o.vl(s.untrackedEvents);
        o.vl(s.sessionsCount);
        o.vl(s.recentSessions.size());
        for (String id : s.recentSessions) {
            o.str(id);
        }
        o.vl(s.counters.size());
        for (Map.Entry<String, WindowedCounter> e : s.counters.entrySet()) {
            o.str(e.getKey());
            series(o, e.getValue().series, true);
        }
        series(o, s.revenue.series, false);
        o.vl(s.lastEvents.size());
        for (RecentEvent r : s.lastEvents) {
            o.str(r.eventId());
            o.str(r.name());
            o.zl(r.timestampMs());
            o.nstr(r.sessionId());
        }
        o.vl(s.traits.size());
        for (Map.Entry<String, JsonNode> e : s.traits.entrySet()) {
            o.str(e.getKey());
            o.vl(s.traitVersions.getOrDefault(e.getKey(), 0L));
            o.bytes(json(e.getValue()));
        }
        o.vl(s.memberships.size());
        for (Map.Entry<String, Long> e : s.memberships.entrySet()) {
            o.str(e.getKey());
            o.zl(e.getValue());
        }
        o.vl(s.scores.size());
        for (Map.Entry<String, Score> e : s.scores.entrySet()) {
            o.str(e.getKey());
            o.d(e.getValue().value());
            o.zl(e.getValue().updatedAtMs());
            o.nstr(e.getValue().modelVersion());
            o.vl(e.getValue().crossings());
        }
        series(o, s.allEvents.series, true);
        o.zl(s.scoredAtMs);
        o.zl(s.scoreDueAtMs);
        o.bytes(s.journeys.equals(UserJourneys.EMPTY) ? NO_JOURNEYS : JourneyRunsCodec.encode(s.journeys));
        return o.toBytes();
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not an encoded state of a known version
     */
    public static UserState decode(byte[] bytes) {
        In in = new In(bytes);
        try {
            byte v = in.b();
            if (v != VERSION && v != VERSION_2 && v != VERSION_1) {
                throw new IllegalArgumentException("unknown user state format version " + v);
            }
            UserState s = new UserState(in.str(), in.str());
            s.firstSeenMs = in.zl();
            s.lastSeenMs = in.zl();
            s.clockMs = in.zl();
            s.appliedOffset = in.zl();
            s.partition = (int) in.zl();
            s.nextTimerAtMs = in.zl();
            s.untrackedEvents = in.vl();
            s.sessionsCount = in.vl();
            int n = in.count();
            for (int i = 0; i < n; i++) {
                s.recentSessions.addLast(in.str());
            }
            n = in.count();
            for (int i = 0; i < n; i++) {
                String name = in.str();
                WindowedCounter c = new WindowedCounter();
                readSeries(in, c.series, true);
                s.counters.put(name, c);
            }
            readSeries(in, s.revenue.series, false);
            n = in.count();
            for (int i = 0; i < n; i++) {
                s.lastEvents.add(new RecentEvent(in.str(), in.str(), in.zl(), in.nstr()));
            }
            n = in.count();
            for (int i = 0; i < n; i++) {
                String key = in.str();
                long version = in.vl();
                s.traits.put(key, EventCodec.mapper().readTree(in.bytes()));
                s.traitVersions.put(key, version);
            }
            n = in.count();
            for (int i = 0; i < n; i++) {
                s.memberships.put(in.str(), in.zl());
            }
            n = in.count();
            for (int i = 0; i < n; i++) {
                String name = in.str();
                double value = in.d();
                long at = in.zl();
                s.scores.put(name, v == VERSION_1 ? new Score(value, at) : new Score(value, at, in.nstr(), in.vl()));
            }
            if (v == VERSION_1) {
                for (WindowedCounter c : s.counters.values()) {
                    s.allEvents.series.addAll(c.series);
                }
                s.allEvents.series.total += s.untrackedEvents;
            } else {
                readSeries(in, s.allEvents.series, true);
                s.scoredAtMs = in.zl();
                s.scoreDueAtMs = in.zl();
            }
            if (v == VERSION) {
                byte[] journeys = in.bytes();
                if (journeys.length > 0) {
                    s.journeys = JourneyRunsCodec.decode(journeys);
                }
            }
            if (in.pos != bytes.length) {
                throw new IllegalArgumentException("trailing bytes after a user state");
            }
            return s;
        } catch (ArrayIndexOutOfBoundsException | IOException e) {
            throw new IllegalArgumentException("truncated or corrupt user state", e);
        }
    }

    private static void series(Out o, WindowedSeries s, boolean integral) {
        value(o, s.total, integral);
        for (Buckets b : new Buckets[] {s.minutes, s.hours, s.days}) {
            o.vl(b.length);
            long prev = 0;
            for (int i = 0; i < b.length; i++) {
                o.zl(i == 0 ? b.keys[0] : b.keys[i] - prev);
                prev = b.keys[i];
                value(o, b.values[i], integral);
            }
        }
    }

    private static void readSeries(In in, WindowedSeries s, boolean integral) {
        s.total = value(in, integral);
        for (Buckets b : new Buckets[] {s.minutes, s.hours, s.days}) {
            int n = in.count();
            long[] keys = new long[Math.max(n, 2)];
            double[] values = new double[keys.length];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long k = in.zl();
                keys[i] = i == 0 ? k : prev + k;
                prev = keys[i];
                values[i] = value(in, integral);
            }
            b.load(keys, values, n);
        }
    }

    private static void value(Out o, double v, boolean integral) {
        if (integral) {
            o.vl((long) v);
        } else {
            o.d(v);
        }
    }

    private static double value(In in, boolean integral) {
        return integral ? in.vl() : in.d();
    }

    private static byte[] json(JsonNode node) {
        try {
            return EventCodec.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- varint primitives ---------------------------------------------------------------------

    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void b(byte v) {
            ensure(1);
            buf[pos++] = v;
        }

        /** Unsigned LEB128. */
        void vl(long v) {
            ensure(10);
            byte[] b = buf;
            int p = pos;
            while ((v & ~0x7FL) != 0) {
                b[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[p++] = (byte) v;
            pos = p;
        }

        /** Zig-zag then LEB128 (small negatives stay small). */
        void zl(long v) {
            vl((v << 1) ^ (v >> 63));
        }

        void d(double v) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(v);
            for (int i = 7; i >= 0; i--) {
                buf[pos++] = (byte) (bits >>> (i * 8));
            }
        }

        void bytes(byte[] b) {
            vl(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void str(String s) {
            if (!ascii(s, 0)) {
                bytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        /**
         * Writes a short ASCII string as {@code vl(length + bias)} and its bytes — exactly what the UTF-8 path
         * writes — without the intermediate array (ids and event names are ASCII); false, writing nothing, otherwise.
         */
        private boolean ascii(String s, int bias) {
            int n = s.length();
            if (n + bias > 127) {
                return false;
            }
            ensure(n + 1);
            byte[] b = buf;
            int p = pos;
            b[p++] = (byte) (n + bias);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return false; // nothing written: pos is unchanged
                }
                b[p++] = (byte) c;
            }
            pos = p;
            return true;
        }

        /** A nullable string: length + 1, 0 for null. */
        void nstr(String s) {
            if (s == null) {
                vl(0);
                return;
            }
            if (ascii(s, 1)) {
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            vl(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    private static final class In {
        private final byte[] buf;
        int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        byte b() {
            return buf[pos++];
        }

        long vl() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = buf[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalArgumentException("varint too long");
                }
            }
        }

        long zl() {
            long v = vl();
            return (v >>> 1) ^ -(v & 1);
        }

        int count() {
            long n = vl();
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("implausible element count " + n);
            }
            return (int) n;
        }

        double d() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xFFL);
            }
            return Double.longBitsToDouble(bits);
        }

        byte[] bytes() {
            int n = count();
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        String str() {
            int n = count();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        String nstr() {
            long n = vl();
            if (n == 0) {
                return null;
            }
            int len = (int) (n - 1);
            if (len > buf.length - pos) {
                throw new IllegalArgumentException("implausible string length " + len);
            }
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }
}
