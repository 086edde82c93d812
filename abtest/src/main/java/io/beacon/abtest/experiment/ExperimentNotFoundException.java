package io.beacon.abtest.experiment;

/** No experiment with that key in the project; the API answers 404. */
public final class ExperimentNotFoundException extends RuntimeException {
    public ExperimentNotFoundException(String project, String key) {
        super("no experiment '" + key + "' in project '" + project + "'", null, false, false);
    }
}
