package io.beacon.control.segments;

import java.util.Optional;

/**
 * The rolling windows a rule can count over. The bucketing that makes each exact at bucket
 * granularity is the engine's ({@code io.beacon.engine.state.WindowSpec}, docs/segments.md).
 */
public enum Window {
    /** One hour. */
    H1("1h"),
    /** 24 hours. */
    H24("24h"),
    /** Seven days. */
    D7("7d"),
    /** 30 days. */
    D30("30d"),
    /** Everything since the user was first seen. */
    ALL("all");

    private final String wireName;

    Window(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON spelling: {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d}, {@code all}. */
    public String wireName() {
        return wireName;
    }

    /** The window spelled {@code text} in JSON; empty for anything else. */
    public static Optional<Window> fromWire(String text) {
        for (Window w : values()) {
            if (w.wireName.equals(text)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }
}
