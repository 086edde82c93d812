package io.beacon.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** Facts about the machine and process the benchmarks run on, read from /proc. */
final class MachineInfo {
    private MachineInfo() {
    }

    static String cpuModel() {
        return grep(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String memTotal() {
        return grep(Path.of("/proc/meminfo"), "MemTotal").orElse("?");
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code "1.52 1.10 0.90"}. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static double loadAverage1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The Kafka clients version on the classpath (from the jar's {@code kafka/kafka-version.properties}). */
    static String kafkaVersion() {
        try (var in = MachineInfo.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** A field of {@code /proc/<pid>/status} in kB, e.g. {@code VmHWM} (peak RSS) or {@code VmRSS}; -1 if unknown. */
    static long statusKb(String pid, String field) {
        return grep(Path.of("/proc", pid, "status"), field)
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")))
                .orElse(-1L);
    }

    static String mb(long kb) {
        return kb < 0 ? "?" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private static Optional<String> grep(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // not on Linux, or the process is gone
        }
        return Optional.empty();
    }
}
