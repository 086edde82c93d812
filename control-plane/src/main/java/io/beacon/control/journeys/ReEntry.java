package io.beacon.control.journeys;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a user may enter a journey again: {@code once} ever, {@code after} a cool-down since their last entry,
 * or {@code always} (when no run of theirs is in flight). JSON {@code {"policy":"once"}} or
 * {@code {"policy":"after","cooldown":"P30D"}}.
 *
 * @param policy   the rule
 * @param cooldown the time since the last entry for {@link Policy#AFTER}, {@code null} otherwise
 */
public record ReEntry(Policy policy, Duration cooldown) {
    public static final ReEntry ONCE = new ReEntry(Policy.ONCE, null);
    public static final ReEntry ALWAYS = new ReEntry(Policy.ALWAYS, null);

    /** The re-entry rules. */
    public enum Policy {
        ONCE, AFTER, ALWAYS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The policy spelled {@code text} in JSON; empty for anything else. */
        public static Optional<Policy> fromWire(String text) {
            for (Policy p : values()) {
                if (p.wireName().equals(text)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    public ReEntry {
        Objects.requireNonNull(policy, "policy");
        if ((policy == Policy.AFTER) != (cooldown != null)) {
            throw new IllegalArgumentException("a cooldown is given exactly for policy after");
        }
    }

    /** Re-entry once {@code cooldown} has passed since the last entry. */
    public static ReEntry after(Duration cooldown) {
        return new ReEntry(Policy.AFTER, Objects.requireNonNull(cooldown, "cooldown"));
    }
}
