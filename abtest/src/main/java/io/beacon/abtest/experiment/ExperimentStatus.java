package io.beacon.abtest.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of an experiment: only {@link #RUNNING} ones assign units. */
public enum ExperimentStatus {
    DRAFT, RUNNING, STOPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ExperimentStatus fromWire(String value) {
        for (ExperimentStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be one of draft, running, stopped");
    }

    /** draft → running → stopped, and stopped → running to resume; nothing goes back to draft. */
    public boolean canBecome(ExperimentStatus next) {
        return this == next
                || (this == DRAFT && next != DRAFT)
                || (this == RUNNING && next == STOPPED)
                || (this == STOPPED && next == RUNNING);
    }
}
