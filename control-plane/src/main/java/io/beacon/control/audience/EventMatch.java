package io.beacon.control.audience;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * Which events a condition counts: the event name ({@code null}: any event) and filters on the events' properties
 * in the analyses' filter grammar (docs/analysis-semantics.md, "Filters"), kept as their validated JSON. Filters and
 * "any event" are query-time only: the engine counts events by name ({@link Evaluator#REALTIME} refuses both).
 */
public record EventMatch(String event, ArrayNode filters) {
    public EventMatch {
        filters = filters == null ? JsonNodeFactory.instance.arrayNode() : filters.deepCopy();
    }

    /** Events named {@code event}, unfiltered. */
    public static EventMatch named(String event) {
        return new EventMatch(Objects.requireNonNull(event, "event"), null);
    }

    /** Whether there are filters. */
    public boolean filtered() {
        return !filters.isEmpty();
    }

    /** A copy of the filters' JSON. */
    @Override
    public ArrayNode filters() {
        return filters.deepCopy();
    }
}
