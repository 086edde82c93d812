package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Rule;
import io.beacon.control.destinations.Template;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One node of a journey's graph, keyed by its id in the document's {@code steps} object. Every step but
 * {@link Exit} names where a run goes next: an absent {@code next} is refused rather than read as "end of run",
 * so each path of the graph ends in an explicit {@code exit} step.
 */
public sealed interface Step {
    /** The grammar of step ids. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    String id();

    /** The JSON {@code type}. */
    String type();

    /**
     * The steps a run may go to from here, keyed by the JSON field naming each (relative to the step, e.g.
     * {@code next}, {@code else}, {@code branches[1].next}), in document order.
     */
    Map<String, String> successors();

    /** Whether a run waits at this step for time or an event ({@code delay}, {@code wait_until}). */
    default boolean waits() {
        return false;
    }

    /** Why {@code id} is not a valid step id, or empty when it is. */
    static Optional<String> checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.of("must match [A-Za-z0-9_-]{1,64}");
        }
        return Optional.empty();
    }

    /**
     * Sends a message through a CDP destination.
     *
     * @param destinationId the destination of the project
     * @param channel       the frequency-cap channel (a lowercase word: push, crm, webhook, email, …)
     * @param template      the message fields (e.g. title, body), each a {@link Template}, in document order
     */
    record Send(String id, String destinationId, String channel, Map<String, Template> template, String next) implements Step {
        public Send {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(destinationId, "destinationId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(next, "next");
            template = Collections.unmodifiableMap(new LinkedHashMap<>(template));
        }

        @Override
        public String type() {
            return "send";
        }

        @Override
        public Map<String, String> successors() {
            return Map.of("next", next);
        }
    }

    /**
     * Waits for {@code duration}, or until the next {@code untilLocalTime} in the user's zone; exactly one is set.
     */
    record Delay(String id, Duration duration, LocalTime untilLocalTime, String next) implements Step {
        public Delay {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(next, "next");
            if ((duration == null) == (untilLocalTime == null)) {
                throw new IllegalArgumentException("a delay has exactly one of duration and untilLocalTime");
            }
        }

        @Override
        public String type() {
            return "delay";
        }

        @Override
        public Map<String, String> successors() {
            return Map.of("next", next);
        }

        @Override
        public boolean waits() {
            return true;
        }
    }

    /** Waits until {@code until} happens (then {@code next}) or {@code maxWait} passes (then {@code timeoutNext}). */
    record WaitUntil(String id, Criterion until, Duration maxWait, String next, String timeoutNext) implements Step {
        public WaitUntil {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(timeoutNext, "timeoutNext");
        }

        @Override
        public String type() {
            return "wait_until";
        }

        @Override
        public Map<String, String> successors() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("next", next);
            out.put("timeout_next", timeoutNext);
            return Collections.unmodifiableMap(out);
        }

        @Override
        public boolean waits() {
            return true;
        }
    }

    /** Goes to {@code then} when the realtime rule {@code condition} holds for the user, else to {@code otherwise} (JSON {@code else}). */
    record Branch(String id, Rule condition, String then, String otherwise) implements Step {
        public Branch {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(then, "then");
            Objects.requireNonNull(otherwise, "otherwise");
        }

        @Override
        public String type() {
            return "branch";
        }

        @Override
        public Map<String, String> successors() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("then", then);
            out.put("else", otherwise);
            return Collections.unmodifiableMap(out);
        }
    }

    /** Sends each user down one branch, deterministically per user; the percents sum to 100. */
    record RandomSplit(String id, List<SplitBranch> branches) implements Step {
        public RandomSplit {
            Objects.requireNonNull(id, "id");
            branches = List.copyOf(branches);
        }

        @Override
        public String type() {
            return "random_split";
        }

        @Override
        public Map<String, String> successors() {
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < branches.size(); i++) {
                out.put("branches[" + i + "].next", branches.get(i).next());
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** One way out of a {@link RandomSplit}: {@code percent} of the users go to {@code next}. */
    record SplitBranch(int percent, String next) {
        public SplitBranch {
            Objects.requireNonNull(next, "next");
        }
    }

    /** Sets traits (person properties) on the user: each value a string, number or boolean. */
    record UpdateTraits(String id, Map<String, JsonNode> set, String next) implements Step {
        public UpdateTraits {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(next, "next");
            Map<String, JsonNode> copy = new LinkedHashMap<>();
            set.forEach((k, v) -> copy.put(k, v.deepCopy()));
            set = Collections.unmodifiableMap(copy);
        }

        @Override
        public String type() {
            return "update_traits";
        }

        @Override
        public Map<String, String> successors() {
            return Map.of("next", next);
        }
    }

    /** Ends the run. */
    record Exit(String id) implements Step {
        public Exit {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String type() {
            return "exit";
        }

        @Override
        public Map<String, String> successors() {
            return Map.of();
        }
    }
}
