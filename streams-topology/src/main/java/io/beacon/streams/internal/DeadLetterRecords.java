package io.beacon.streams.internal;

import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter records the exception handlers hand back to Kafka Streams (KIP-1034), so that a
 * record that made the topology fail unexpectedly still ends up in the DLQ with its original bytes.
 *
 * <p>There is no dedicated {@link RejectionCode} for "the pipeline failed on this record", so these use
 * {@link RejectionCode#UNPARSEABLE_RECORD} with a stage naming the failing step ({@code processing:<node>},
 * {@code deserialize}, {@code produce}, {@code serialize}) and the exception in the message.
 */
public final class DeadLetterRecords {
    /** Custom Kafka Streams config key naming the DLQ topic for the handlers. */
    public static final String DLQ_TOPIC_CONFIG = "beacon.dlq.topic";

    private DeadLetterRecords() {
    }

    static String dlqTopic(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(DLQ_TOPIC_CONFIG + " must name the dead-letter topic");
        }
        return topic.toString();
    }

    /**
     * A DLQ record for the source record of {@code context}; {@code original} is its value, byte for byte
     * ({@code null} becomes empty). Project and event id are filled in when the bytes are an envelope.
     */
    static ProducerRecord<byte[], byte[]> of(String dlqTopic, ErrorHandlerContext context, byte[] original,
                                            String stage, Exception exception, long now) {
        byte[] bytes = original == null ? new byte[0] : original;
        String projectId = null;
        String eventId = null;
        try {
            RawEnvelope envelope = EventCodec.decodeEnvelope(bytes);
            projectId = envelope.projectId();
            eventId = envelope.eventId();
        } catch (RuntimeException notAnEnvelope) {
            // ids stay unknown
        }
        DeadLetter letter = new DeadLetter(RejectionCode.UNPARSEABLE_RECORD,
                "pipeline failed on this record: " + exception, null, stage, projectId, eventId,
                context.topic(), context.partition(), context.offset(), now, bytes);
        String key = eventId != null ? eventId : context.topic() + "-" + context.partition() + "@" + context.offset();
        return new ProducerRecord<>(dlqTopic, key.getBytes(StandardCharsets.UTF_8), EventCodec.encode(letter));
    }
}
