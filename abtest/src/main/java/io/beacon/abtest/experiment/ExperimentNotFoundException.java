package io.beacon.abtest.experiment;

import io.beacon.event.RefusedException;

/** No experiment with that key in the project (404 {@code NOT_FOUND}). */
public final class ExperimentNotFoundException extends RefusedException {
    public ExperimentNotFoundException(String project, String key) {
        super(Kind.NOT_FOUND, "NOT_FOUND", "no experiment '" + key + "' in project '" + project + "'", null);
    }
}
