package io.beacon.gateway;

import java.util.Map;
import java.util.Optional;

/** {@link WriteKeys} backed by a fixed map of write key to project id. */
public final class StaticWriteKeys implements WriteKeys {
    private final Map<String, String> projectByKey;

    /** @param projectByKey write key → project id; copied */
    public StaticWriteKeys(Map<String, String> projectByKey) {
        this.projectByKey = Map.copyOf(projectByKey);
    }

    /** One key for one project. */
    public static StaticWriteKeys of(String writeKey, String projectId) {
        return new StaticWriteKeys(Map.of(writeKey, projectId));
    }

    @Override
    public Optional<String> projectFor(String writeKey) {
        return writeKey == null ? Optional.empty() : Optional.ofNullable(projectByKey.get(writeKey));
    }

    @Override
    public String toString() {
        // never the keys themselves: they are credentials
        return "StaticWriteKeys[" + projectByKey.size() + " keys]";
    }
}
