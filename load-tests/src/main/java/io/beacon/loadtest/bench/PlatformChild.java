package io.beacon.loadtest.bench;

import io.beacon.loadtest.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Beacon node as its own process — {@code BeaconMain run} in a child JVM with {@code ./beacon}'s
 * default heap settings — so its memory and CPU profile are the platform's alone, not mixed with
 * the broker and the load generator of the bench JVM. It records itself with JFR until it stops.
 */
final class PlatformChild implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("BEACON_READY (http://\\S+)");

    private final Process process;
    private final Path log;
    private final String httpUrl;

    private PlatformChild(Process process, Path log, String httpUrl) {
        this.process = process;
        this.log = log;
        this.httpUrl = httpUrl;
    }

    static PlatformChild start(NodeConfig node, Path log, Path jfr, Duration readyTimeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms256m");
        cmd.add("-Xmx1g");
        cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        node.settings().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("io.beacon.platform.BeaconMain");
        cmd.add("run");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("platform process exited with " + p.exitValue() + "; see " + log);
            }
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                return new PlatformChild(p, log, m.group(1));
            }
            Thread.sleep(200); // poll interval of the start-up wait
        }
        p.destroyForcibly();
        throw new IllegalStateException("platform not ready within " + readyTimeout + "; see " + log);
    }

    String httpUrl() {
        return httpUrl;
    }

    long pid() {
        return process.pid();
    }

    /** Peak resident set size so far ({@code VmHWM}), kB. */
    long peakRssKb() {
        return MachineInfo.statusKb(Long.toString(process.pid()), "VmHWM");
    }

    /** SIGTERM (the node closes in data-flow order and JFR writes its file), then waits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public String toString() {
        return "PlatformChild[pid " + process.pid() + ", " + httpUrl + ", log " + log + "]";
    }
}
