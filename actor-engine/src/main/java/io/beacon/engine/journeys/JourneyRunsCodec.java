package io.beacon.engine.journeys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary form of {@link UserJourneys}, for embedding in the user's stored state. Format version {@value #VERSION}:
 * a version byte, then the runs (journey id, version, entry, step, entered at, step entered at, wake at, status,
 * exit reason or none, seq, converted, ended at), the channel days (channel, epoch day, count) and the applied input
 * keys, each list preceded by its length. Integers are variable-length (LEB128; signed ones zig-zag), strings are a
 * length and UTF-8 bytes (a nullable string's length is one more, 0 for none). Decoding refuses other versions.
 */
public final class JourneyRunsCodec {
    public static final byte VERSION = 1;

    private JourneyRunsCodec() {
    }

    public static byte[] encode(UserJourneys s) {
        Out o = new Out();
        o.out.write(VERSION);
        o.unsigned(s.runs().size());
        for (JourneyRun r : s.runs().values()) {
            o.str(r.journeyId());
            o.unsigned(r.journeyVersion());
            o.unsigned(r.entry());
            o.str(r.stepId());
            o.signed(r.enteredAtMs());
            o.signed(r.stepEnteredAtMs());
            o.signed(r.wakeAtMs());
            o.out.write(r.status().ordinal());
            o.nullableStr(r.exitReason());
            o.unsigned(r.seq());
            o.out.write(r.converted() ? 1 : 0);
            o.signed(r.endedAtMs());
        }
        o.unsigned(s.sendsToday().size());
        for (Map.Entry<String, UserJourneys.ChannelDay> e : s.sendsToday().entrySet()) {
            o.str(e.getKey());
            o.signed(e.getValue().epochDay());
            o.unsigned(e.getValue().count());
        }
        o.unsigned(s.recentInputs().size());
        for (String key : s.recentInputs()) {
            o.str(key);
        }
        return o.out.toByteArray();
    }

    /** @throws IllegalArgumentException for another format version or bytes that are not a whole encoding */
    public static UserJourneys decode(byte[] bytes) {
        In in = new In(bytes);
        int version = in.b();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown journey runs format version " + version + " (this build reads " + VERSION + ")");
        }
        Map<String, JourneyRun> runs = new TreeMap<>();
        long n = in.unsigned();
        for (long i = 0; i < n; i++) {
            String journeyId = in.str();
            int journeyVersion = (int) in.unsigned();
            long entry = in.unsigned();
            String step = in.str();
            long enteredAt = in.signed();
            long stepEnteredAt = in.signed();
            long wakeAt = in.signed();
            int status = in.b();
            if (status >= JourneyRun.Status.values().length) {
                throw new IllegalArgumentException("unknown run status " + status + " of journey '" + journeyId + "'");
            }
            String reason = in.nullableStr();
            long seq = in.unsigned();
            boolean converted = in.b() != 0;
            long endedAt = in.signed();
            runs.put(journeyId, new JourneyRun(journeyId, journeyVersion, entry, step, enteredAt, stepEnteredAt, wakeAt,
                    JourneyRun.Status.values()[status], reason, seq, converted, endedAt));
        }
        Map<String, UserJourneys.ChannelDay> sends = new TreeMap<>();
        n = in.unsigned();
        for (long i = 0; i < n; i++) {
            String channel = in.str();
            sends.put(channel, new UserJourneys.ChannelDay(in.signed(), (int) in.unsigned()));
        }
        List<String> recent = new ArrayList<>();
        n = in.unsigned();
        for (long i = 0; i < n; i++) {
            recent.add(in.str());
        }
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException((bytes.length - in.pos) + " bytes after the journey runs");
        }
        return new UserJourneys(runs, sends, recent);
    }

    private static final class Out {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        void unsigned(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void signed(long v) {
            unsigned((v << 1) ^ (v >> 63));
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            unsigned(b.length);
            out.write(b, 0, b.length);
        }

        void nullableStr(String s) {
            if (s == null) {
                unsigned(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            unsigned(b.length + 1L);
            out.write(b, 0, b.length);
        }
    }

    private static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int b() {
            if (pos >= buf.length) {
                throw new IllegalArgumentException("journey runs end early at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        long unsigned() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = b();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a variable-length integer runs past 64 bits at byte " + pos);
        }

        long signed() {
            long u = unsigned();
            return (u >>> 1) ^ -(u & 1);
        }

        String str() {
            return text(unsigned());
        }

        String nullableStr() {
            long n = unsigned();
            return n == 0 ? null : text(n - 1);
        }

        private String text(long length) {
            if (length < 0 || length > buf.length - pos) {
                throw new IllegalArgumentException("a string of " + length + " bytes runs past the end at byte " + pos);
            }
            String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
            pos += (int) length;
            return s;
        }
    }
}
