package io.beacon.control.registry;

/**
 * Stable reasons the registry flags or rejects an event. Dead-letter records and the warnings column
 * carry these names; never rename one, only add. (Kept here rather than in the event model's
 * {@code RejectionCode}, which covers parsing/ingest.)
 */
public enum ViolationCode {
    /** The event has no definition (strict: reject; permissive: warning). */
    UNKNOWN_EVENT,
    /** The property has no definition, or the event's definition does not list it (strict: reject; permissive: warning). */
    UNKNOWN_PROPERTY,
    /** The value cannot be safely coerced to the property's type (reject in every mode). */
    TYPE_MISMATCH,
    /** A required property of the event is absent or null (reject in every mode). */
    MISSING_REQUIRED,
    /** The value is not one of the property's enum values (reject in every mode). */
    ENUM_VIOLATION,
    /** The event's status is {@code blocked} (reject in every mode). */
    BLOCKED_EVENT,
    /** The event's status is {@code deprecated} (warning). */
    DEPRECATED_EVENT
}
