package io.beacon.event;

/**
 * Stable, machine-readable reasons an input is refused. Clients and the dead-letter topic both
 * carry these names; never rename one, only add.
 */
public enum RejectionCode {
    /** The body is not valid JSON (or not decodable: bad gzip). */
    MALFORMED_JSON,
    /** The body or a batch item is JSON but not an object where one is required. */
    NOT_AN_OBJECT,
    /** The body has no events (an empty batch, or no {@code batch} array). */
    EMPTY_BATCH,
    /** A batch item has no {@code type}, or one that names no Segment call. */
    INVALID_TYPE,
    /** A track call has no event name ({@code event} / {@code event_name}). */
    MISSING_EVENT_NAME,
    /** Neither {@code userId}/{@code user_id} nor {@code anonymousId}/{@code device_id} is set. */
    MISSING_USER_ID,
    /** An alias call has no {@code previousId}. */
    MISSING_PREVIOUS_ID,
    /** A group call has no {@code groupId}. */
    MISSING_GROUP_ID,
    /** A field has the wrong JSON type (e.g. {@code properties} is a string). */
    INVALID_FIELD_TYPE,
    /** A timestamp field cannot be parsed as ISO-8601 or epoch milliseconds. */
    INVALID_TIMESTAMP,
    /** A field is longer than allowed (ids, event names). */
    FIELD_TOO_LONG,
    /** One event is larger than the per-event limit. */
    EVENT_TOO_LARGE,
    /** The request is larger than the per-request limit. */
    REQUEST_TOO_LARGE,
    /** No write key was given. */
    MISSING_WRITE_KEY,
    /** The write key names no project. */
    INVALID_WRITE_KEY,
    /** A raw record on Kafka could not be read as an envelope (topology stage "parse"). */
    UNPARSEABLE_RECORD,
    /** The event log (Kafka) is not reachable; the client should retry. */
    SERVICE_UNAVAILABLE,
    /** A pipeline stage failed on this record for a reason other than its content (stage names it). */
    PROCESSING_FAILED,
    /** Registry (strict mode): the event name is not registered for the project. */
    UNKNOWN_EVENT,
    /** Registry (strict mode): a property is not registered for the event. */
    UNKNOWN_PROPERTY,
    /** Registry: a property value does not have (and cannot be safely coerced to) its registered type. */
    TYPE_MISMATCH,
    /** Registry: a required property of the event is absent. */
    MISSING_REQUIRED,
    /** Registry: a property value is not one of its registered enum values. */
    ENUM_VIOLATION,
    /** Registry: the event's status is {@code blocked}. */
    BLOCKED_EVENT
}
