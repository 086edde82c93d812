package io.beacon.streams.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import java.io.IOException;

/**
 * Parses and maps one raw record: the pure core of the topology's first two stages.
 *
 * <ol>
 *   <li>{@value #STAGE_PARSE}: the value must decode as a {@link RawEnvelope}
 *       ({@link EventCodec#decodeEnvelope}); a {@code null} value (tombstone) or undecodable bytes
 *       become a dead letter with {@link RejectionCode#UNPARSEABLE_RECORD}.</li>
 *   <li>{@value #STAGE_MAP}: the envelope is mapped with {@link EventMapper#map}; a rejection becomes a
 *       dead letter with the rejection's own code, message and field.</li>
 * </ol>
 *
 * Nothing is dropped: every input yields exactly one {@link IngestResult}.
 */
public final class RawRecordIngest {
    /** Stage name written to {@link DeadLetter#stage()} for records that are not envelopes. */
    public static final String STAGE_PARSE = "parse";
    /** Stage name written to {@link DeadLetter#stage()} for envelopes the mapper refuses. */
    public static final String STAGE_MAP = "map";

    private static final byte[] NO_BYTES = new byte[0];

    private RawRecordIngest() {
    }

    /**
     * @param value    the raw record value, possibly {@code null}
     * @param source   where the record was read from
     * @param failedAt the time to stamp on a dead letter, epoch ms
     */
    public static IngestResult ingest(byte[] value, RecordSource source, long failedAt) {
        if (value == null) {
            return refused(RejectionCode.UNPARSEABLE_RECORD, "the record has no value (a tombstone)", null,
                    STAGE_PARSE, null, null, source, failedAt, NO_BYTES);
        }
        RawEnvelope envelope;
        try {
            envelope = EventCodec.decodeEnvelope(value);
        } catch (RuntimeException e) { // EventCodec reports bad input as UncheckedIOException; any failure here means "not an envelope"
            // Best effort: a JSON object that is not a valid envelope may still name its project and event.
            JsonNode tree = readTreeOrNull(value);
            return refused(RejectionCode.UNPARSEABLE_RECORD, "not a raw event envelope: " + e.getMessage(), null,
                    STAGE_PARSE, textOrNull(tree, "project_id"), textOrNull(tree, "event_id"), source, failedAt, value);
        }
        MappingResult mapped = EventMapper.map(envelope);
        if (mapped instanceof MappingResult.Mapped m) {
            return new IngestResult.Accepted(m.event(), value);
        }
        Rejection rejection = ((MappingResult.Rejected) mapped).rejection();
        return refused(rejection.code(), rejection.message(), rejection.field(), STAGE_MAP,
                envelope.projectId(), envelope.eventId(), source, failedAt, value);
    }

    private static IngestResult.Refused refused(RejectionCode code, String message, String field, String stage,
                                                String projectId, String eventId, RecordSource source,
                                                long failedAt, byte[] original) {
        return new IngestResult.Refused(new DeadLetter(code, message, field, stage, projectId, eventId,
                source.topic(), source.partition(), source.offset(), failedAt, original));
    }

    private static JsonNode readTreeOrNull(byte[] value) {
        try {
            return EventCodec.mapper().readTree(value);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode tree, String field) {
        if (tree == null || !tree.isObject()) {
            return null;
        }
        JsonNode v = tree.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
