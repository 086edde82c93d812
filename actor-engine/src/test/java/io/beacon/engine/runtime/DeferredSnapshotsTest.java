package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredSnapshotsTest {
    @Test
    void theCommittedOffsetIsHeldBackToTheOldestDeferredEventOfItsPartition() {
        DeferredSnapshots d = new DeferredSnapshots();
        assertEquals(500, d.commitOffset(0, 500));
        d.deferred(0, "a", 120, 1);
        d.deferred(0, "b", 100, 2);
        d.deferred(1, "c", 7, 3);
        assertEquals(100, d.commitOffset(0, 500));
        assertEquals(7, d.commitOffset(1, 500));
        // a later deferral of the same user keeps its older offset
        d.deferred(0, "b", 300, 4);
        assertEquals(100, d.commitOffset(0, 500));
        d.snapshotted(0, "b");
        assertEquals(120, d.commitOffset(0, 500));
        // two users from the same offset: the offset holds until both are in snapshots
        d.deferred(0, "e", 120, 5);
        d.snapshotted(0, "a");
        assertEquals(120, d.commitOffset(0, 500));
        d.snapshotted(0, "e");
        assertEquals(500, d.commitOffset(0, 500));
        // never ahead of the batch itself
        d.deferred(0, "f", 900, 6);
        assertEquals(500, d.commitOffset(0, 500));
        d.snapshotted(0, "unknown");
        d.clear(1);
        assertEquals(500, d.commitOffset(1, 500));
        assertEquals(0, d.size(1));
    }

    @Test
    void theCommitIdIsReadFromTheOffsetMetadata() {
        assertEquals(0, EngineRunner.commitIdOf(null));
        assertEquals(0, EngineRunner.commitIdOf(new org.apache.kafka.clients.consumer.OffsetAndMetadata(5)));
        assertEquals(42, EngineRunner.commitIdOf(new org.apache.kafka.clients.consumer.OffsetAndMetadata(5, "42")));
        assertEquals(-1, EngineRunner.commitIdOf(new org.apache.kafka.clients.consumer.OffsetAndMetadata(5, "someone else's")));
    }

    @Test
    void dueUsersAreTheOnesDeferredLongestAgoOldestFirst() {
        DeferredSnapshots d = new DeferredSnapshots();
        d.deferred(2, "old", 1, 100);
        d.deferred(2, "mid", 2, 200);
        d.deferred(2, "new", 3, 300);
        assertEquals(List.of("old", "mid"), d.due(2, 250, 10));
        assertEquals(List.of("old"), d.due(2, 250, 1));
        assertEquals(List.of(), d.due(2, 50, 10));
        assertEquals(List.of(), d.due(5, 1_000, 10));
        d.snapshotted(2, "old");
        assertEquals(List.of("mid", "new"), d.due(2, 300, 10));
    }
}
