package io.beacon.streams.discovery;

import io.beacon.control.NameRules;
import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.registry.RegistryView;
import io.beacon.event.Event;
import io.beacon.streams.validate.EventValidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the topology counts as "discovered", and how it publishes it.
 *
 * <p><b>What.</b> For every governed event ({@link EventValidation#isGoverned}) the discover stage
 * observes, against the registry at that moment: the event name when the project has no definition of
 * it (kind {@code event}), and every property name without a property definition (kind {@code property})
 * with the type of its value ({@link TypeInference}). A property that has a definition but is not listed
 * by the event is not "discovered" (registering it would change nothing; the event definition needs the
 * edit). Names a definition could never have ({@code NameRules}) are skipped. Only names, counts, times
 * and types are kept — never values, so discovery holds no PII. Counting happens before dedup and
 * whatever the verdict, so strict-mode rejections are discovered too; {@code volume} counts records
 * seen, including retries that dedup drops afterwards.
 *
 * <p><b>How.</b> Two-level aggregation, exact under {@code exactly_once_v2}:
 * <ol>
 *   <li>{@code discover} (per raw partition) adds observations into the logged store
 *       {@value #PENDING_STORE}; every publish interval (wall clock) it forwards the pending deltas,
 *       keyed {@code project/kind/name}, and clears them;</li>
 *   <li>the deltas are repartitioned by that key ({@code <application-id>-}{@value #REPARTITION}{@code -repartition}),
 *       so all partial counts of one item meet in one task;</li>
 *   <li>{@code discovery-aggregate} adds them to the totals in the logged RocksDB store
 *       {@value #TOTALS_STORE} and, every publish interval, writes the totals that changed to the
 *       compacted {@code beacon.discovery} topic (after a restart or a rebalance: all of its totals once).</li>
 * </ol>
 * So each key is written at most once per interval, and an observation reaches the topic within about
 * two intervals.
 */
public final class Discovery {
    /** Per-task pending deltas (in-memory, logged; values in the internal compact format, which also reads older JSON). */
    public static final String PENDING_STORE = "discovery-pending";
    /** Totals per {@code project/kind/name} (RocksDB, logged). */
    public static final String TOTALS_STORE = "discovery-totals";
    /** Name of the repartition step (its topic is {@code <application-id>-discovery-repartition}). */
    public static final String REPARTITION = "discovery";
    /** The default publish interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private Discovery() {
    }

    /** The observations of one event; empty when it is ungoverned or everything in it is registered. */
    public static List<DiscoveredItem> observe(Event event, RegistryView registry) {
        if (!EventValidation.isGoverned(event, registry)) {
            return List.of();
        }
        String project = event.projectId();
        long at = event.receivedAt();
        List<DiscoveredItem> out = new ArrayList<>(2);
        if (registry.event(event.eventName()).isEmpty() && NameRules.checkName(event.eventName()).isEmpty()) {
            out.add(DiscoveredItem.event(project, event.eventName(), at));
        }
        for (Map.Entry<String, Object> p : event.properties().entrySet()) {
            String name = p.getKey();
            if (registry.property(name).isEmpty() && NameRules.checkName(name).isEmpty()) {
                out.add(DiscoveredItem.property(project, name, TypeInference.observedType(p.getValue()), at));
            }
        }
        return out;
    }
}
