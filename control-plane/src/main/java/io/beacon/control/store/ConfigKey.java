package io.beacon.control.store;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key of a config document: {@code kind/project/id}. {@code kind} is {@code [a-z][a-z0-9_-]*},
 * {@code project} contains no {@code /}; {@code id} is any non-empty string (it may contain
 * {@code /}: everything after the second slash is the id).
 */
public record ConfigKey(String kind, String project, String id) {
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]*");

    public ConfigKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(id, "id");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind must match [a-z][a-z0-9_-]*: " + kind);
        }
        if (project.isEmpty() || project.indexOf('/') >= 0) {
            throw new IllegalArgumentException("project must be non-empty without '/': " + project);
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must be non-empty");
        }
    }

    public static ConfigKey of(String kind, String project, String id) {
        return new ConfigKey(kind, project, id);
    }

    /** Parses a record key; empty when it is not of the form {@code kind/project/id}. */
    public static Optional<ConfigKey> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        int first = raw.indexOf('/');
        int second = first < 0 ? -1 : raw.indexOf('/', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ConfigKey(raw.substring(0, first), raw.substring(first + 1, second), raw.substring(second + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The record key on the topic. */
    public String asString() {
        return kind + "/" + project + "/" + id;
    }

    @Override
    public String toString() {
        return asString();
    }
}
