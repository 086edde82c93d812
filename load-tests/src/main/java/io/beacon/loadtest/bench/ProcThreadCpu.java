package io.beacon.loadtest.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of every thread of this process from {@code /proc/self/task} — unlike {@code ThreadMXBean} it includes
 * the JVM's own threads (GC, JIT compilers) and native ones (RocksDB), which are a large share of a busy phase. Names
 * are the kernel's (first 15 characters) with digits folded, e.g. {@code GC Thread#N}. Linux only: elsewhere the
 * snapshot is empty.
 */
final class ProcThreadCpu {
    /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcThreadCpu() {
    }

    /** Thread-name group → CPU seconds so far (threads that ended are gone: take snapshots around a window). */
    static Map<String, Double> snapshot() {
        Map<String, Double> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "N");
                    // fields after the parenthesised name: state is field 3; utime and stime are fields 14 and 15
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    out.merge(name, seconds, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** µs of CPU per {@code units} between two snapshots, by group, largest first; groups under 0.5 % summed as "other". */
    static Map<String, Double> microsPer(Map<String, Double> before, Map<String, Double> after, long units) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0.0)));
        double total = delta.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("total", round(total * 1e6 / Math.max(1, units)));
        double other = 0;
        for (Map.Entry<String, Double> e : delta.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
            if (e.getValue() < total * 0.005) {
                other += e.getValue();
            } else {
                out.put(e.getKey(), round(e.getValue() * 1e6 / Math.max(1, units)));
            }
        }
        out.put("other", round(other * 1e6 / Math.max(1, units)));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
