package io.beacon.control.topicview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnWritesTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void shouldHandTheWriterTheReadThatCameBeforeTheAcknowledgement() {
        OwnWrites<String> own = new OwnWrites<>();
        own.take(TP, 7).complete("read");

        assertEquals("read", own.take(TP, 7).join());
    }

    @Test
    void shouldCompleteTheWaitingWriterWhenTheReadComesAfterTheAcknowledgement() {
        OwnWrites<String> own = new OwnWrites<>();
        CompletableFuture<String> waiting = own.take(TP, 7);

        CompletableFuture<String> read = own.take(TP, 7);
        read.complete("read");

        assertSame(waiting, read);
        assertEquals("read", waiting.join());
    }

    @Test
    void shouldKeepPositionsApart() {
        OwnWrites<String> own = new OwnWrites<>();
        CompletableFuture<String> first = own.take(TP, 1);
        own.take(new TopicPartition("t", 1), 1).complete("other partition");

        assertFalse(first.isDone());
    }

    @Test
    void shouldFailEveryWaitingWrite() {
        OwnWrites<String> own = new OwnWrites<>();
        CompletableFuture<String> waiting = own.take(TP, 3);

        own.failAll(new IllegalStateException("closed"));

        assertTrue(waiting.isCompletedExceptionally());
        assertFalse(own.take(TP, 3).isDone(), "a failed position is forgotten");
    }
}
