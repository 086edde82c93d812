package io.beacon.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own producer benchmark, {@code org.apache.kafka.tools.ProducerPerformance} (the code behind
 * {@code kafka-producer-perf-test.sh}), run as a child JVM on this module's classpath: the ceiling for
 * what any HTTP front end can write through one producer to the same broker.
 */
final class ProducerPerformanceBaseline {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) (steady state )?records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, "
                    + "([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

    /** The tool's summary (the steady-state one when warm-up records were given). */
    record Result(long records, double recordsPerSecond, double mbPerSecond, double avgLatencyMs, double maxLatencyMs,
                  long p50Ms, long p95Ms, long p99Ms, String line) {
    }

    private ProducerPerformanceBaseline() {
    }

    /**
     * Runs the tool with {@code --payload-file} (records picked at random from the file's lines),
     * random keys over {@code keyRange} values, no throttling.
     */
    static Result run(String bootstrapServers, String topic, Path payloadFile, long records, long warmupRecords,
                      int keyRange, Map<String, String> producerProps, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms512m");
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.apache.kafka.tools.ProducerPerformance");
        cmd.addAll(List.of("--bootstrap-server", bootstrapServers, "--topic", topic,
                "--num-records", Long.toString(records), "--warmup-records", Long.toString(warmupRecords),
                "--throughput", "-1", "--payload-file", payloadFile.toString(),
                "--key-distribution", "random", "--record-key-range", Integer.toString(keyRange),
                "--reporting-interval", "5000", "--command-property"));
        producerProps.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("ProducerPerformance did not finish within 10 minutes; see " + log);
        }
        String out = Files.readString(log);
        Result steady = null;
        Result any = null;
        Matcher m = SUMMARY.matcher(out);
        while (m.find()) {
            Result r = new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                    Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), Long.parseLong(m.group(7)),
                    Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), m.group(0));
            if (m.group(2) != null) {
                steady = r;
            } else {
                any = r;
            }
        }
        if (p.exitValue() != 0 || (steady == null && any == null)) {
            throw new IllegalStateException("ProducerPerformance failed (exit " + p.exitValue() + "); see " + log);
        }
        return steady != null ? steady : any;
    }
}
