package io.beacon.loadtest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder recording of this process around one benchmark phase (async-profiler is not
 * available here; JFR ships with the JDK), summarised like {@code jfr print --events jdk.ExecutionSample}
 * would be read by hand: which threads were on CPU, which methods were at the top of their stacks, and
 * the first Beacon frame under them.
 */
final class JfrProfile {
    /** Sample counts of one phase. */
    record Summary(String phase, Path file, long samples, List<Map.Entry<String, Long>> threads,
                   List<Map.Entry<String, Long>> topFrames, List<Map.Entry<String, Long>> beaconFrames,
                   long nativeSamples, List<Map.Entry<String, Long>> nativeFrames) {
    }

    private final String phase;
    private final Path file;
    private final Recording recording;

    private JfrProfile(String phase, Path file, Recording recording) {
        this.phase = phase;
        this.file = file;
        this.recording = recording;
    }

    /** Starts recording with the JDK's "profile" settings (execution samples every 10 ms). */
    static JfrProfile start(String phase, Path dir) {
        try {
            Files.createDirectories(dir);
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setName("beacon-bench-" + phase);
            r.start();
            return new JfrProfile(phase, dir.resolve(phase + ".jfr"), r);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start JFR", e);
        }
    }

    /** Stops, writes the recording file and summarises its execution samples. */
    Summary stop() {
        try {
            recording.stop();
            recording.dump(file);
            recording.close();
            return summarise(phase, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Summary summarise(String phase, Path file) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> frames = new HashMap<>();
        Map<String, Long> beacon = new HashMap<>();
        Map<String, Long> natives = new HashMap<>();
        long samples = 0;
        long nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("jdk.NativeMethodSample")) {
                // threads inside native code (RocksDB, socket and file I/O, or parked in epoll): not CPU for sure
                nativeSamples++;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    natives.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                }
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            var thread = e.getThread("sampledThread");
            threads.merge(thread == null ? "?" : normalise(thread.getJavaName()), 1L, Long::sum);
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            frames.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
            for (RecordedFrame f : stack.getFrames()) {
                String n = name(f);
                if (n.startsWith("io.beacon.") && !n.startsWith("io.beacon.loadtest.")) {
                    beacon.merge(n, 1L, Long::sum);
                    break;
                }
            }
        }
        return new Summary(phase, file, samples, top(threads, 8), top(frames, 12), top(beacon, 10),
                nativeSamples, top(natives, 6));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Thread names without their instance numbers, so a pool's threads add up. */
    private static String normalise(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "N");
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n)
                .map(en -> Map.entry(en.getKey(), en.getValue()))
                .toList();
    }
}
