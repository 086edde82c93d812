package io.beacon.control;

import io.beacon.event.TopicNames;

/**
 * The name of the control plane's compacted topic, following {@code TopicNames.withPrefix}: the
 * deployment/test prefix goes in front of {@value #NAME}.
 */
public final class ConfigTopic {
    /** The production name ({@link TopicNames#CONFIG}). */
    public static final String NAME = TopicNames.CONFIG;

    private ConfigTopic() {
    }

    /** {@code prefix + "beacon.config"}; a {@code null} or empty prefix keeps the plain name. */
    public static String withPrefix(String prefix) {
        return (prefix == null ? "" : prefix) + NAME;
    }
}
