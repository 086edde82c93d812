package io.beacon.abtest.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The exposure logger's guarantee (durable before the answer), dedup ledger and backlog bound, on a controllable sink. */
class ExposureLoggerTest {
    /** A sink whose appends complete only when the test says so. */
    private static final class ManualSink implements io.beacon.abtest.ExposureSink {
        final List<List<RawEnvelope>> appends = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();

        @Override
        public CompletionStage<Void> append(List<RawEnvelope> envelopes) {
            appends.add(List.copyOf(envelopes));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
        }

        int events() {
            return appends.stream().mapToInt(List::size).sum();
        }
    }

    private static ObjectNode user(String id) {
        return JsonNodeFactory.instance.objectNode().put("user_id", id);
    }

    private static Assignment in(String experiment, String variation, String unit) {
        return new Assignment(experiment, 1, variation, true, "user_id", unit, 0.3, false, false, 0);
    }

    @Test
    void shouldCompleteOnlyWhenTheSinkAcknowledgedAndThenNotResend() {
        ManualSink sink = new ManualSink();
        ExposureLogger logger = new ExposureLogger(sink, () -> 5L, 1000);
        List<Assignment> two = List.of(in("a", "on", "u1"), in("b", "off", "u1"));
        CompletableFuture<Void> first = logger.log("p", user("u1"), two).toCompletableFuture();
        // Then nothing is answered before the log holds the events
        assertFalse(first.isDone());
        assertEquals(2, sink.events());
        assertEquals(2, logger.pendingEvents());
        // and a concurrent request of the same unit sends them again (at least once; same ids)
        CompletableFuture<Void> concurrent = logger.log("p", user("u1"), two).toCompletableFuture();
        assertEquals(4, sink.events());
        assertEquals(sink.appends.get(0).stream().map(RawEnvelope::eventId).toList(),
                sink.appends.get(1).stream().map(RawEnvelope::eventId).toList());
        sink.acks.forEach(a -> a.complete(null));
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        assertTrue(concurrent.isDone() && !concurrent.isCompletedExceptionally());
        assertEquals(4, logger.loggedEvents());
        assertEquals(0, logger.pendingEvents());
        // When the unit comes back, nothing is sent and the answer is immediate
        CompletableFuture<Void> again = logger.log("p", user("u1"), two).toCompletableFuture();
        assertTrue(again.isDone());
        assertEquals(4, sink.events());
        // but a new variation of the same experiment (re-randomized) is a new exposure
        logger.log("p", user("u1"), List.of(in("a", "off", "u1")));
        assertEquals(5, sink.events());
        assertEquals(ExposureEvents.eventId("p", "a", "u1", "off"), sink.appends.get(2).get(0).eventId());
    }

    @Test
    void shouldFailTheAnswerAndResendWhenTheSinkFails() {
        ManualSink sink = new ManualSink();
        ExposureLogger logger = new ExposureLogger(sink, () -> 5L, 1000);
        List<Assignment> one = List.of(in("a", "on", "u2"));
        CompletableFuture<Void> first = logger.log("p", user("u2"), one).toCompletableFuture();
        sink.acks.get(0).completeExceptionally(new IllegalStateException("broker down"));
        CompletionException failure = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, first::join);
        assertInstanceOf(ExposureLogUnavailableException.class, failure.getCause());
        assertEquals(1, logger.failedEvents());
        // a retry sends the exposure again: the failed one was not remembered as logged
        logger.log("p", user("u2"), one);
        assertEquals(2, sink.events());
    }

    @Test
    void shouldRefuseBeyondTheBoundOnPendingEvents() {
        ManualSink sink = new ManualSink();
        ExposureLogger logger = new ExposureLogger(sink, () -> 5L, 1000, 3);
        logger.log("p", user("x"), List.of(in("a", "on", "x"), in("b", "on", "x")));
        CompletableFuture<Void> refused = logger.log("p", user("y"), List.of(in("a", "on", "y"), in("b", "on", "y")))
                .toCompletableFuture();
        assertTrue(refused.isCompletedExceptionally());
        assertEquals(2, sink.events()); // the refused request sent nothing
        sink.acks.get(0).complete(null);
        // capacity is back once the log acknowledged
        assertFalse(logger.log("p", user("y"), List.of(in("a", "on", "y"), in("b", "on", "y"))).toCompletableFuture()
                .isCompletedExceptionally());
        assertEquals(4, sink.events());
    }

    @Test
    void shouldNotLogForcedOrNotInExperimentAssignments() {
        ManualSink sink = new ManualSink();
        ExposureLogger logger = new ExposureLogger(sink, () -> 5L, 1000);
        Assignment forced = new Assignment("a", 1, "on", true, "user_id", "u", Double.NaN, false, true, 0);
        Assignment out = new Assignment("a", 0, "off", false, "user_id", "u", 0.9, false, false, 0);
        assertTrue(logger.log("p", user("u"), List.of(forced, out)).toCompletableFuture().isDone());
        assertEquals(0, sink.events());
    }

    @Test
    void shouldResendEverythingWithoutMemory() {
        ManualSink sink = new ManualSink();
        ExposureLogger logger = new ExposureLogger(sink, () -> 5L, 0);
        for (int i = 0; i < 3; i++) {
            logger.log("p", user("u"), List.of(in("a", "on", "u")));
            sink.acks.get(i).complete(null);
        }
        assertEquals(3, sink.events());
    }

    @Test
    void ledgerShouldRememberTwoGenerationsAndForgetOlderOnes() {
        ExposureLedger ledger = new ExposureLedger(3);
        long[][] keys = new long[10][];
        for (int i = 0; i < 10; i++) {
            String unit = "u" + i;
            keys[i] = new long[] {ExposureLedger.fingerprintHi("p", "e", unit, "v"), ExposureLedger.fingerprintLo("p", "e", unit, "v")};
            ledger.add(keys[i][0], keys[i][1]);
        }
        // generations of 3: adds 0-2 | 3-5 | 6-8 | 9 → current {9}, previous {6,7,8}
        for (int i = 0; i < 10; i++) {
            assertEquals(i >= 6, ledger.contains(keys[i][0], keys[i][1]), "entry " + i);
        }
        // the parts are separated: ("ab","c") and ("a","bc") differ
        assertFalse(ExposureLedger.fingerprintHi("ab", "c") == ExposureLedger.fingerprintHi("a", "bc")
                && ExposureLedger.fingerprintLo("ab", "c") == ExposureLedger.fingerprintLo("a", "bc"));
    }

    @Test
    void ledgerShouldHoldItsCapacityWithoutFalsePositives() {
        int n = 50_000;
        ExposureLedger ledger = new ExposureLedger(n);
        for (int i = 0; i < n; i++) {
            ledger.add(ExposureLedger.fingerprintHi("p", "e", "u" + i, "v"), ExposureLedger.fingerprintLo("p", "e", "u" + i, "v"));
        }
        int present = 0;
        int falsePositives = 0;
        for (int i = 0; i < n; i++) {
            present += ledger.contains(ExposureLedger.fingerprintHi("p", "e", "u" + i, "v"), ExposureLedger.fingerprintLo("p", "e", "u" + i, "v")) ? 1 : 0;
            falsePositives += ledger.contains(ExposureLedger.fingerprintHi("p", "e", "other" + i, "v"),
                    ExposureLedger.fingerprintLo("p", "e", "other" + i, "v")) ? 1 : 0;
        }
        assertEquals(n, present);
        assertEquals(0, falsePositives);
    }
}
