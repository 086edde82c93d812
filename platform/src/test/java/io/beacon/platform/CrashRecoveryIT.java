package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing lost, nothing doubled: the whole platform process (gateway, topology and sink) is
 * SIGKILLed in the middle of a 20,000-event load and started again; the client re-sends what was
 * not acknowledged, like an SDK. Exactly 20,000 events must be visible.
 */
@ExtendWith(BeaconStackExtension.class)
class CrashRecoveryIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

    @Test
    void shouldShowExactlyTwentyThousandEventsAfterSigkillMidLoadAndRestart(TestStack stack) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PlatformFixture fx = new PlatformFixture(stack, "crash", port);
        Path log = Files.createTempFile("beacon-crash-", ".log");
        List<List<String>> batches = SegmentLoad.batches("c", 20_000, 100);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        PlatformProcess second = null;
        try (ClickHouse ch = fx.clickhouse()) {
            PlatformProcess first = PlatformProcess.start(fx.settings, log);
            first.awaitReady(Duration.ofSeconds(90));
            SegmentLoad load = new SegmentLoad(first::httpUrl, fx.writeKey);
            AtomicInteger sent = new AtomicInteger();

            // Given a load in progress, re-sending each batch until it is acknowledged
            Future<?> loading = sender.submit(() -> {
                for (List<String> b : batches) {
                    load.sendUntilAccepted(SegmentLoad.batch(b), Duration.ofSeconds(120));
                    sent.incrementAndGet();
                    try {
                        Thread.sleep(40); // pacing: ~25 batches/s keeps the load running for several sink flushes
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            // When the process is SIGKILLed once some batches are acknowledged and the sink has written
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((sent.get() < 60 || PlatformFixture.count(ch, "SELECT count() FROM events") <= 0) && System.nanoTime() < deadline) {
                Thread.sleep(20); // poll interval
            }
            long rowsAtKill = PlatformFixture.count(ch, "SELECT count() FROM events");
            int batchesAtKill = sent.get();
            first.kill();
            LOG.info("SIGKILLed platform pid {} after {} acknowledged batches, {} rows in ClickHouse", first.pid(), batchesAtKill, rowsAtKill);
            assertTrue(batchesAtKill < batches.size(), "the kill happened in the middle of the load");
            assertTrue(rowsAtKill > 0, "the sink had written rows before the kill");

            // and started again on the same topics, state, groups and port
            second = PlatformProcess.start(fx.settings, log);
            second.awaitReady(Duration.ofSeconds(90));
            loading.get(240, TimeUnit.SECONDS);

            // Then exactly 20,000 events are visible
            long visible = PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM events FINAL"), 20_000,
                    Duration.ofSeconds(120));
            LOG.info("after restart: {} visible, {} raw rows, {} client retries", visible,
                    ch.queryLong("SELECT count() FROM events"), load.retries);
            assertEquals(20_000, visible, "events visible with FINAL\n" + second.tail());
            assertEquals(20_000, ch.queryLong("SELECT uniqExact(event_id) FROM events"));
            assertEquals(0, ch.queryLong("SELECT count() FROM (SELECT event_id FROM events FINAL GROUP BY event_id HAVING count() > 1)"));
        } finally {
            sender.shutdownNow();
            if (second != null) {
                second.close();
            }
        }
    }
}
