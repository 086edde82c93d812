package io.beacon.cdp.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import io.beacon.event.cdp.RetryEntry;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionLedgerTest {
    private static final long NOW = 1_000_000;

    private static OutboxMessage msg(String person, String id) {
        return new OutboxMessage("p1", "dst", person, id, MessageTypes.SEGMENT_ENTERED, NOW, JsonNodeFactory.instance.objectNode());
    }

    private static List<String> ids(List<Pending> ps) {
        return ps.stream().map(Pending::messageId).toList();
    }

    private static List<String> takeAll(PartitionLedger l, long now) {
        return ids(l.takeDue(now, p -> 0));
    }

    @Test
    void shouldSendOneMessagePerKeyAtATimeWhileOtherKeysGoAhead() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        l.onOutbox(1, msg("alice", "a2"), NOW);
        l.onOutbox(2, msg("bob", "b1"), NOW);

        assertEquals(List.of("a1", "b1"), takeAll(l, NOW).stream().sorted().toList());
        assertEquals(List.of(), takeAll(l, NOW), "a2 waits behind a1");
    }

    @Test
    void shouldParkAFailedMessageAndTheRestOfItsKeyWithoutHoldingUpOtherKeys() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        l.onOutbox(1, msg("alice", "a2"), NOW);
        l.onOutbox(2, msg("bob", "b1"), NOW);
        List<Pending> first = l.takeDue(NOW, p -> 0);
        Pending a1 = first.stream().filter(p -> p.messageId().equals("a1")).findFirst().orElseThrow();
        Pending b1 = first.stream().filter(p -> p.messageId().equals("b1")).findFirst().orElseThrow();

        List<Pending> park = l.retryLater(a1, 2, NOW + 5_000, "HTTP 503", 503);
        assertEquals(List.of("a1", "a2"), ids(park));
        assertTrue(l.delivered(b1));
        assertEquals(OptionalLong.of(0), l.outboxCommit(), "a1 and a2 are held by the outbox until their retry records are acked");
        l.parked(park.get(0), 10);
        l.parked(park.get(1), 11);
        assertEquals(OptionalLong.of(3), l.outboxCommit(), "parked messages no longer hold the outbox");
        assertEquals(OptionalLong.of(10), l.retryCommit());

        // a later message of alice's key is parked at once; bob's next one goes straight away
        assertEquals(PartitionLedger.Admission.PARK, l.onOutbox(3, msg("alice", "a3"), NOW));
        assertEquals(PartitionLedger.Admission.HELD, l.onOutbox(4, msg("bob", "b2"), NOW));
        assertEquals(List.of("b2"), takeAll(l, NOW + 1));
        assertEquals(List.of(), takeAll(l, NOW + 4_999), "a1 is not due yet");
        assertEquals(List.of("a1"), takeAll(l, NOW + 5_000));
    }

    @Test
    void shouldFinishAParkedMessageOnlyAfterItsDoneMarkerIsWritten() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        Pending a1 = l.takeDue(NOW, p -> 0).get(0);
        l.parked(l.retryLater(a1, 2, NOW, "timeout", 0).get(0), 7);
        Pending again = l.takeDue(NOW, p -> 0).get(0);

        assertFalse(l.delivered(again), "a done marker must be written first");
        assertEquals(OptionalLong.of(7), l.retryCommit());
        l.retryWritten(8);
        l.finished(again);
        assertEquals(OptionalLong.of(9), l.retryCommit());
        assertEquals(OptionalLong.of(1), l.outboxCommit());
        assertEquals(0, l.size());
    }

    @Test
    void shouldRebuildEachKeysOrderFromTheRetryTopicAfterARestart() {
        PartitionLedger l = new PartitionLedger(100);
        // the retry topic after a crash: a2 (sequence 12) was re-parked after a1 (sequence 11); c1 was done
        l.foldRetry(20, new RetryEntry(msg("alice", "a2"), 1, 0, 12, false, null));
        l.foldRetry(21, new RetryEntry(msg("alice", "a1"), 3, NOW + 60_000, 11, false, "HTTP 500"));
        l.foldRetry(22, new RetryEntry(msg("carol", "c1"), 2, NOW, 9, false, "HTTP 500"));
        l.foldRetry(23, RetryEntry.done(msg("carol", "c1"), 9));

        assertEquals(2, l.size());
        assertEquals(List.of(), takeAll(l, NOW), "a2 waits behind a1 although its record came first");
        assertEquals(OptionalLong.of(20), l.retryCommit());
        // the outbox is re-read from its committed offset: messages already parked are duplicates
        assertEquals(PartitionLedger.Admission.DUPLICATE, l.onOutbox(11, msg("alice", "a1"), NOW));
        assertEquals(PartitionLedger.Admission.DUPLICATE, l.onOutbox(9, msg("carol", "c1"), NOW));
        List<Pending> due = l.takeDue(NOW + 60_000, p -> 0);
        assertEquals(List.of("a1"), ids(due));
        assertEquals(3, due.get(0).attempt);
        assertEquals("HTTP 500", due.get(0).lastError);
    }

    @Test
    void shouldDropADuplicateOfAMessageDeliveredLately() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        assertEquals(PartitionLedger.Admission.DUPLICATE, l.onOutbox(1, msg("alice", "a1"), NOW));
        assertTrue(l.delivered(l.takeDue(NOW, p -> 0).get(0)));
        assertEquals(PartitionLedger.Admission.DUPLICATE, l.onOutbox(2, msg("alice", "a1"), NOW));
        assertEquals(OptionalLong.of(3), l.outboxCommit());
    }

    @Test
    void shouldAskARefusedHeadAgainAtTheTimeTheDestinationNames() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        assertEquals(List.of(), ids(l.takeDue(NOW, p -> NOW + 250)));
        assertEquals(OptionalLong.of(NOW + 250), l.nextDueAtMs());
        assertEquals(List.of(), takeAll(l, NOW + 249));
        assertEquals(List.of("a1"), takeAll(l, NOW + 250));
    }

    @Test
    void shouldLetAReleasedAttemptGoAgain() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msg("alice", "a1"), NOW);
        Pending a1 = l.takeDue(NOW, p -> 0).get(0);
        l.release(a1);
        assertEquals(List.of("a1"), takeAll(l, NOW));
        assertEquals(OptionalLong.of(0), l.outboxCommit());
    }

    private static OutboxMessage msgTo(String destination, String person, String id) {
        return new OutboxMessage("p1", destination, person, id, MessageTypes.SEGMENT_ENTERED, NOW, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void shouldAskABusyDestinationOncePerPassNotOncePerWaitingPerson() {
        PartitionLedger l = new PartitionLedger(10_000);
        for (int i = 0; i < 1_000; i++) {
            l.onOutbox(i, msgTo("busy", "u" + i, "m" + i), NOW);
        }
        int[] asked = {0};
        assertEquals(List.of(), ids(l.takeDue(NOW, p -> {
            asked[0]++;
            return NOW + 10;
        })));
        assertEquals(1, asked[0], "the first refusal stands for the lane's other 999 heads");
        assertEquals(OptionalLong.of(NOW + 10), l.nextDueAtMs());

        asked[0] = 0;
        assertEquals(List.of(), ids(l.takeDue(NOW + 5, p -> {
            asked[0]++;
            return 0;
        })), "not asked again before the time it named");
        assertEquals(0, asked[0]);

        // two slots free at NOW + 10: the lane takes the two persons refused first, then refuses again
        int[] slots = {2};
        List<String> taken = ids(l.takeDue(NOW + 10, p -> slots[0]-- > 0 ? 0 : NOW + 20));
        assertEquals(List.of("m0", "m1"), taken);
        assertEquals(OptionalLong.of(NOW + 20), l.nextDueAtMs());
        assertEquals(998, takeAll(l, NOW + 20).size(), "every waiting person goes once the lane accepts");
    }

    @Test
    void shouldNotHoldOtherDestinationsBehindARefusingOne() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msgTo("busy", "alice", "b1"), NOW);
        l.onOutbox(1, msgTo("busy", "bob", "b2"), NOW);
        l.onOutbox(2, msgTo("healthy", "alice", "h1"), NOW);
        assertEquals(List.of("h1"), ids(l.takeDue(NOW, p -> p.message.destinationId().equals("busy") ? NOW + 1_000 : 0)));
        assertEquals(List.of("b1", "b2"), takeAll(l, NOW + 1_000));
    }

    @Test
    void shouldDropAQueuedKeyWhoseHeadWasTakenMeanwhile() {
        PartitionLedger l = new PartitionLedger(100);
        l.onOutbox(0, msgTo("busy", "alice", "a1"), NOW);
        assertEquals(List.of(), ids(l.takeDue(NOW, p -> NOW + 10)));
        Pending a1 = l.takeDue(NOW + 10, p -> 0).get(0);
        l.release(a1); // back to waiting: scheduled again, and still only sent once per take
        assertEquals(List.of("a1"), takeAll(l, NOW + 10));
        assertEquals(List.of(), takeAll(l, NOW + 11));
    }
}
