package io.beacon.devstack;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Playwright script run with node against Debian's headless Chromium, for the browser tests (the console's
 * and posthog-js's). The script prints one JSON report as its last line of output and exits 0 when all its
 * checks held. Missing tools fail the test with what to install: a browser test never skips.
 */
public final class BrowserScript {
    /** Chromium's path: {@code BEACON_CHROMIUM}, else Debian's. */
    public static final String CHROMIUM = System.getenv().getOrDefault("BEACON_CHROMIUM", "/usr/bin/chromium");

    private BrowserScript() {
    }

    /** Fails unless node, Chromium and playwright-core (in {@code npmDir}'s node_modules) are there. */
    public static void requireTools(Path npmDir) {
        assertTrue(Files.isDirectory(npmDir.resolve("node_modules/playwright-core")),
                "playwright-core is missing: run 'npm ci' in " + npmDir + " (./beacon test does)");
        assertTrue(Files.isExecutable(Paths.get(CHROMIUM)),
                CHROMIUM + " is missing: apt-get install chromium (./beacon test does), or set BEACON_CHROMIUM");
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0, "node --version failed");
        } catch (IOException e) {
            fail("node is not on PATH: install Node.js 20.19+ (Debian: apt-get install nodejs npm)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while asking node for its version", e);
        }
    }

    /**
     * Runs {@code node script args…}; returns the last line it printed (its report). Fails with everything it
     * printed when it exits non-zero or does not finish within {@code timeout} (then it and its browser are killed).
     */
    public static String run(Duration timeout, Path script, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("browser-script-", ".out");
        Path err = Files.createTempFile("browser-script-", ".err");
        try {
            List<String> command = new ArrayList<>(List.of("node", script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            boolean finished = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!finished || p.exitValue() != 0) {
                fail(script.getFileName() + (finished ? " exited with " + p.exitValue() : " timed out after " + timeout)
                        + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
