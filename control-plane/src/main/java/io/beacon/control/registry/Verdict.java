package io.beacon.control.registry;

/** What to do with a validated event. */
public enum Verdict {
    /** No findings. */
    ACCEPT,
    /** Only warnings: pass the event, carrying {@link ValidationResult#warningTags()}. */
    ACCEPT_WITH_WARNINGS,
    /** At least one error: dead-letter it with {@link ValidationResult#firstError()}. */
    REJECT
}
