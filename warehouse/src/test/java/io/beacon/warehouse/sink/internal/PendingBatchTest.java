package io.beacon.warehouse.sink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

    private static final TopicPartition P0 = new TopicPartition("valid", 0);
    private static final TopicPartition P1 = new TopicPartition("valid", 1);

    @Test
    void shouldCommitTheOffsetAfterTheLastRecordOfEachPartition() {
        PendingBatch batch = new PendingBatch();
        batch.addRow(P0, 10, "{}", 0);
        batch.addRow(P0, 11, "{}", 0);
        batch.addRow(P1, 3, "{}", 0);

        assertEquals(Map.of(P0, new OffsetAndMetadata(12), P1, new OffsetAndMetadata(4)), batch.offsetsToCommit());
    }

    @Test
    void shouldCountDeadLettersInTheOffsetsButNotInTheBody() {
        PendingBatch batch = new PendingBatch();
        batch.addRow(P0, 1, "{\"a\":1}", 0);
        batch.addDeadLetter(P0, 2, letter(2), 0);

        assertEquals("{\"a\":1}\n", new String(batch.body(), StandardCharsets.UTF_8));
        assertEquals(1, batch.rowCount());
        assertEquals(2, batch.size());
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), batch.offsetsToCommit());
    }

    @Test
    void shouldNotReturnDeadLettersAgainOnceSettledButStillCommitTheirOffsets() {
        PendingBatch batch = new PendingBatch();
        batch.addDeadLetter(P0, 7, letter(7), 0);

        batch.settleDeadLetters();

        assertTrue(batch.deadLetters().isEmpty());
        assertEquals(Map.of(P0, new OffsetAndMetadata(8)), batch.offsetsToCommit());
    }

    @Test
    void shouldForgetRecordsOfRevokedPartitionsOnly() {
        PendingBatch batch = new PendingBatch();
        batch.addRow(P0, 1, "{\"p\":0}", 0);
        batch.addRow(P1, 1, "{\"p\":1}", 0);

        int removed = batch.removePartitions(List.of(P0));

        assertEquals(1, removed);
        assertEquals(1, batch.rowCount());
        assertEquals("{\"p\":1}\n", new String(batch.body(), StandardCharsets.UTF_8));
        assertEquals(Map.of(P1, new OffsetAndMetadata(2)), batch.offsetsToCommit());
    }

    @Test
    void shouldMeasureAgeFromTheOldestRecord() {
        PendingBatch batch = new PendingBatch();
        assertEquals(0, batch.ageMillis(1_000));
        batch.addRow(P0, 1, "{}", 1_000);
        batch.addRow(P0, 2, "{}", 1_500);

        assertEquals(700, batch.ageMillis(1_700));
    }

    @Test
    void shouldBeEmptyAfterClear() {
        PendingBatch batch = new PendingBatch();
        batch.addRow(P0, 1, "{}", 0);

        batch.clear();

        assertTrue(batch.isEmpty());
        assertTrue(batch.offsetsToCommit().isEmpty());
        assertEquals(0, batch.body().length);
    }

    private static DeadLetter letter(long offset) {
        return DeadLetters.undecodable("x".getBytes(StandardCharsets.UTF_8), "bad", "valid", 0, offset, 0);
    }
}
