package io.beacon.control.store;

/**
 * The name of the control plane's compacted topic, following {@code TopicNames.withPrefix}: the
 * deployment/test prefix goes in front of {@value #NAME}.
 */
public final class ConfigTopic {
    /** The production name. */
    public static final String NAME = "beacon.config";

    private ConfigTopic() {
    }

    /** {@code prefix + "beacon.config"}; a {@code null} or empty prefix keeps the plain name. */
    public static String withPrefix(String prefix) {
        return (prefix == null ? "" : prefix) + NAME;
    }
}
