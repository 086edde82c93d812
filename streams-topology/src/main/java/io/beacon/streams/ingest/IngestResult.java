package io.beacon.streams.ingest;

import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import java.util.Objects;

/** The outcome of {@link RawRecordIngest#ingest}: an event to pass on, or a dead letter to route aside. */
public sealed interface IngestResult {

    /**
     * The record parsed and mapped to a canonical event; {@code original} is the raw record's value, kept
     * so that a later stage (validate) can still dead-letter it byte for byte.
     */
    record Accepted(Event event, byte[] original) implements IngestResult {
        public Accepted {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(original, "original");
        }
    }

    /** The record was refused; {@code deadLetter} says why and carries the original bytes. */
    record Refused(DeadLetter deadLetter) implements IngestResult {
        public Refused {
            Objects.requireNonNull(deadLetter, "deadLetter");
        }

        /**
         * The key to write the dead letter under: the event id when it could be read (as
         * {@link io.beacon.event.TopicNames#dlq()} documents), otherwise {@code topic-partition@offset}.
         */
        public String key() {
            if (deadLetter.eventId() != null) {
                return deadLetter.eventId();
            }
            return new RecordSource(deadLetter.sourceTopic(), deadLetter.partition(), deadLetter.offset()).describe();
        }
    }
}
