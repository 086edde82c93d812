package io.beacon.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the dev stack's ClickHouse child processes share ({@link ClickHouseServer}, Debian's 18.16, and
 * {@link ChdbServer}, 26.x through chdb): waiting for {@code /ping}, one statement over the HTTP interface,
 * and ending the process by its handle.
 */
final class ChildServers {
    private ChildServers() {
    }

    /**
     * Polls {@code baseUrl/ping} until it answers {@code Ok.}; fails at once when the process exits.
     *
     * @param what    the server's name for messages ({@code ClickHouse}, {@code chdb})
     * @param logTail the server's last log lines, for the failure message
     */
    static void awaitPing(HttpClient http, String baseUrl, Process process, Duration timeout, String what, Supplier<String> logTail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(baseUrl + "/ping")).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited with code " + process.exitValue() + " during startup; log tail:\n"
                            + logTail.get());
                }
                try {
                    HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().trim().equals("Ok.")) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // keep polling until the deadline
                }
                // Poll interval that also returns at once if the process dies.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
        throw new IllegalStateException(what + " at " + baseUrl + " did not answer /ping within " + timeout + "; log tail:\n" + logTail.get());
    }

    /**
     * Runs one statement ({@code POST /}) and returns the body (TabSeparated unless the SQL has a FORMAT clause).
     *
     * @throws IllegalStateException with the server's error text if the status is not 200
     */
    static String post(HttpClient http, String baseUrl, String sql, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + " query failed (HTTP " + response.statusCode() + "): "
                        + response.body().trim() + " -- SQL: " + sql);
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " at " + baseUrl + " unreachable for SQL: " + sql, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what + " query", e);
        }
    }

    /** SIGTERM, then up to {@code timeout} for the exit, then SIGKILL. Does nothing for an exited process. */
    static void terminate(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            handle.destroyForcibly();
            handle.onExit().join();
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
