package io.beacon.streams.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import io.beacon.streams.runtime.Envelopes;
import io.beacon.streams.runtime.EventPipeline;
import io.beacon.streams.runtime.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterExceptionHandlersTest {
    private static final Map<String, String> CONFIG = Map.of(DeadLetterRecords.DLQ_TOPIC_CONFIG, "t.dlq");
    private static final byte[] SOURCE = Envelopes.bytes(Envelopes.track("p1", "evt-1", "u1"));

    /** The handler's view of the failing source record. */
    private record Context(byte[] sourceRawValue) implements ErrorHandlerContext {
        public String topic() { return "t.raw"; }
        public int partition() { return 1; }
        public long offset() { return 7L; }
        public Headers headers() { return new RecordHeaders(); }
        public String processorNodeId() { return "dedup"; }
        public TaskId taskId() { return new TaskId(0, 1); }
        public long timestamp() { return 0L; }
        public byte[] sourceRawKey() { return "p1:u1".getBytes(StandardCharsets.UTF_8); }
    }

    private static DeadLetter only(List<ProducerRecord<byte[], byte[]>> records) {
        assertEquals(1, records.size());
        assertEquals("t.dlq", records.get(0).topic());
        return EventCodec.decodeDeadLetter(records.get(0).value());
    }

    @Test
    void shouldSendSourceRecordToDeadLetterTopicAndResumeWhenAProcessorThrows() {
        DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();
        handler.configure(CONFIG);

        ProcessingExceptionHandler.Response response = handler.handleError(new Context(SOURCE),
                new Record<>("p1:u1", "x", 0L), new IllegalStateException("boom"));

        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        DeadLetter letter = only(response.deadLetterQueueRecords());
        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals("processing:dedup", letter.stage());
        assertTrue(letter.message().contains("boom"), letter.message());
        assertEquals("evt-1", letter.eventId());
        assertEquals("p1", letter.projectId());
        assertEquals(7L, letter.offset());
        assertArrayEquals(SOURCE, letter.original());
        assertArrayEquals("evt-1".getBytes(StandardCharsets.UTF_8), response.deadLetterQueueRecords().get(0).key());
    }

    @Test
    void shouldDeadLetterTheOriginalBytesWhenAProcessorThrowsInARunningTopology(@TempDir Path stateDir) {
        // Given a topology whose processor fails on every record, configured like the pipeline
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("t.raw", Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .<byte[]>mapValues(v -> { throw new IllegalStateException("bug"); }, Named.as("broken"))
                .to("t.valid", Produced.with(Serdes.String(), Serdes.ByteArray()));
        TopologySettings settings = TopologySettings.fromConfig(ConfigFactory.defaultReference())
                .withApplicationId("handler-test").withTopics(TopicNames.withPrefix("t.x.")).withStateDir(stateDir);
        Properties config = EventPipeline.streamsConfig(settings);
        config.put(DeadLetterRecords.DLQ_TOPIC_CONFIG, "t.dlq");

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            driver.createInputTopic("t.raw", new StringSerializer(), new ByteArraySerializer()).pipeInput("p1:u1", SOURCE);

            // Then the record is on the DLQ with its bytes and the thread carries on
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("t.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            DeadLetter letter = EventCodec.decodeDeadLetter(dlq.readValue());
            assertEquals("processing:broken", letter.stage());
            assertArrayEquals(SOURCE, letter.original());
            assertTrue(driver.createOutputTopic("t.valid", new ByteArrayDeserializer(), new ByteArrayDeserializer()).isEmpty());
        }
    }

    @Test
    void shouldReplaceTooLargeOutputWithDeadLetter() {
        DeadLetterProductionExceptionHandler handler = new DeadLetterProductionExceptionHandler();
        handler.configure(CONFIG);

        ProductionExceptionHandler.Response response = handler.handleError(new Context(SOURCE),
                new ProducerRecord<>("t.valid", new byte[1], new byte[1]), new RecordTooLargeException("too big"));

        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertEquals("produce", only(response.deadLetterQueueRecords()).stage());
    }

    @Test
    void shouldRetryRetriableAndFailWhenTheDeadLetterItselfCannotBeWritten() {
        DeadLetterProductionExceptionHandler handler = new DeadLetterProductionExceptionHandler();
        handler.configure(CONFIG);

        assertEquals(ProductionExceptionHandler.Result.RETRY, handler.handleError(new Context(SOURCE),
                new ProducerRecord<>("t.valid", new byte[1], new byte[1]), new TimeoutException("slow")).result());
        assertEquals(ProductionExceptionHandler.Result.FAIL, handler.handleError(new Context(SOURCE),
                new ProducerRecord<>("t.dlq", new byte[1], new byte[1]), new RecordTooLargeException("too big")).result());
    }
}
