package io.beacon.abtest.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.UnitAttributes;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Condition;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.experiment.Targeting;
import io.beacon.abtest.exposure.ExposureLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns a unit to every running experiment of a project it is eligible for: reads the unit's sticky
 * documents, runs {@link Assigner} per experiment, stores new sticky assignments (asynchronously, never
 * delaying the answer) and logs exposures. {@link #assignAsync} completes once the exposures that were
 * new are durably logged (the API answers then: at-least-once exposures, see {@link ExposureLogger});
 * {@link #assign} returns at once and logs in the background. Non-blocking; safe on HTTP dispatchers.
 *
 * <p>Targeting by segment: when a running experiment the request concerns targets segments and the unit's
 * attributes have no {@code segments} attribute, {@link #assignAsync} first reads the unit's memberships through
 * the {@link SegmentLookup} port ({@link #withSegments}); a {@code segments} attribute the caller passed wins
 * (even an empty one). Without such an experiment nothing is looked up.
 */
public final class AssignmentService {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentService.class);

    private final ExperimentCatalog catalog;
    private final StickyBucketStore sticky;
    private final ExposureLogger exposures;
    private final boolean stickyEnabled;
    private final SegmentLookup segments;
    private final long segmentTimeoutMs;
    private final AtomicLong stickyWriteFailures = new AtomicLong();
    private final AtomicLong segmentLookups = new AtomicLong();
    private final AtomicLong segmentLookupFailures = new AtomicLong();

    /** Without segment lookups ({@link SegmentLookup#NONE}). */
    public AssignmentService(ExperimentCatalog catalog, StickyBucketStore sticky, ExposureLogger exposures, boolean stickyEnabled) {
        this(catalog, sticky, exposures, stickyEnabled, SegmentLookup.NONE, Duration.ofMillis(50));
    }

    /**
     * @param segments       where units' segment memberships are read when an experiment targets segments
     * @param segmentTimeout how long a lookup may take before the assignment fails with
     *                       {@link SegmentsUnavailableException}
     */
    public AssignmentService(ExperimentCatalog catalog, StickyBucketStore sticky, ExposureLogger exposures, boolean stickyEnabled,
                             SegmentLookup segments, Duration segmentTimeout) {
        if (segmentTimeout.isNegative() || segmentTimeout.isZero()) {
            throw new IllegalArgumentException("segment lookup timeout must be positive: " + segmentTimeout);
        }
        this.catalog = catalog;
        this.sticky = sticky;
        this.exposures = exposures;
        this.stickyEnabled = stickyEnabled;
        this.segments = segments;
        this.segmentTimeoutMs = segmentTimeout.toMillis();
    }

    /**
     * Synchronous: no {@link SegmentLookup} here (a caller whose experiments may target segments calls
     * {@link #withSegments} first).
     *
     * @param attributes   the unit's attributes as a JSON object
     * @param forced       request-level forced variations (experiment key → index)
     * @param onlyKeys     restrict to these experiments, or {@code null} for all running ones
     * @param logExposures whether to log exposures for the answers
     */
    public List<Assignment> assign(String project, JsonNode attributes, Map<String, Integer> forced, Set<String> onlyKeys,
                                   boolean logExposures) {
        List<Assignment> out = assignOnly(project, attributes, forced, onlyKeys);
        if (logExposures && !out.isEmpty()) {
            exposures.log(project, attributes, out); // failures are counted and logged by the logger
        }
        return out;
    }

    /**
     * Like {@link #assign}, but completes only when the new exposures are durably logged; fails with
     * {@link io.beacon.abtest.exposure.ExposureLogUnavailableException} when they cannot be.
     */
    public CompletionStage<List<Assignment>> assignAsync(String project, JsonNode attributes, Map<String, Integer> forced,
                                                         Set<String> onlyKeys, boolean logExposures) {
        List<String> targeting = segmentTargeted(project, attributes, onlyKeys);
        if (targeting.isEmpty()) {
            return assignLogged(project, attributes, forced, onlyKeys, logExposures);
        }
        return lookUp(project, attributes, targeting)
                .thenCompose(withSegments -> assignLogged(project, withSegments, forced, onlyKeys, logExposures));
    }

    /**
     * {@code attributes}, with a {@code segments} attribute from the {@link SegmentLookup} when a running
     * experiment of {@code onlyKeys} ({@code null}: all) targets segments and the caller gave none; otherwise
     * {@code attributes} itself, at once. The unit is its {@code user_id}, else its {@code device_id}; a unit
     * with neither is in no segment. Fails with {@link SegmentsUnavailableException} when the lookup fails or
     * takes longer than the timeout. {@code attributes} is not modified (a copy gets the segments).
     */
    public CompletionStage<JsonNode> withSegments(String project, JsonNode attributes, Set<String> onlyKeys) {
        List<String> targeting = segmentTargeted(project, attributes, onlyKeys);
        return targeting.isEmpty() ? CompletableFuture.completedFuture(attributes) : lookUp(project, attributes, targeting);
    }

    /** Keys of the running experiments (of {@code onlyKeys}) that need a lookup for this unit; usually empty. */
    private List<String> segmentTargeted(String project, JsonNode attributes, Set<String> onlyKeys) {
        if (segments == SegmentLookup.NONE || attributes.has(Condition.SEGMENTS_ATTRIBUTE)) {
            return List.of();
        }
        List<String> keys = List.of();
        for (CompiledExperiment c : catalog.running(project)) {
            Experiment e = c.experiment();
            Targeting t = e.targeting();
            if (t == null || t.segments() == null || t.segments().isEmpty() || (onlyKeys != null && !onlyKeys.contains(e.key()))) {
                continue;
            }
            if (keys.isEmpty()) {
                keys = new ArrayList<>(2);
            }
            keys.add(e.key());
        }
        return keys;
    }

    private CompletionStage<JsonNode> lookUp(String project, JsonNode attributes, List<String> experiments) {
        String unit = UnitAttributes.text(attributes.get("user_id"));
        if (unit == null) {
            unit = UnitAttributes.text(attributes.get("device_id"));
        }
        if (unit == null) {
            return CompletableFuture.completedFuture(attributes); // no person to look up: in no segment
        }
        ObjectNode copy = attributes.isObject() ? ((ObjectNode) attributes).deepCopy() : JsonNodeFactory.instance.objectNode();
        segmentLookups.incrementAndGet();
        CompletableFuture<Set<String>> answer;
        try {
            // a copy: the timeout completes our future, never the port's
            answer = segments.segmentsOf(project, unit).toCompletableFuture().copy();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.orTimeout(segmentTimeoutMs, TimeUnit.MILLISECONDS).handle((ids, error) -> {
            if (error != null) {
                segmentLookupFailures.incrementAndGet();
                throw new SegmentsUnavailableException(experiments, unwrap(error));
            }
            ArrayNode array = copy.putArray(Condition.SEGMENTS_ATTRIBUTE);
            if (ids != null) {
                new TreeSet<>(ids).forEach(array::add);
            }
            return copy;
        });
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private CompletionStage<List<Assignment>> assignLogged(String project, JsonNode attributes, Map<String, Integer> forced,
                                                           Set<String> onlyKeys, boolean logExposures) {
        List<Assignment> out = assignOnly(project, attributes, forced, onlyKeys);
        if (!logExposures || out.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        return exposures.log(project, attributes, out).thenApply(x -> out);
    }

    private List<Assignment> assignOnly(String project, JsonNode attributes, Map<String, Integer> forced, Set<String> onlyKeys) {
        List<CompiledExperiment> running = catalog.running(project);
        List<Assignment> out = new ArrayList<>(running.size());
        Map<String, StickyBucketDoc> docs = stickyEnabled ? new HashMap<>(4) : null;
        Map<String, Map<String, String>> newSticky = null;
        for (CompiledExperiment c : running) {
            Experiment e = c.experiment();
            if (onlyKeys != null && !onlyKeys.contains(e.key())) {
                continue;
            }
            StickyBucketDoc primary = stickyEnabled ? doc(project, docs, e.hashAttribute(), attributes) : null;
            StickyBucketDoc fallback = stickyEnabled && e.fallbackAttribute() != null ? doc(project, docs, e.fallbackAttribute(), attributes) : null;
            var assigned = Assigner.assign(c, attributes, forced, primary, fallback);
            if (assigned.isEmpty()) {
                continue;
            }
            Assignment a = assigned.get();
            out.add(a);
            if (stickyEnabled && a.inExperiment() && !a.forced() && !a.stickyBucketUsed()) {
                if (newSticky == null) {
                    newSticky = new HashMap<>(4);
                }
                newSticky.computeIfAbsent(a.hashAttribute() + "||" + a.hashValue(), k -> new HashMap<>())
                        .put(e.stickyKey(), a.variationKey());
            }
        }
        if (newSticky != null) {
            persist(project, newSticky);
        }
        return out;
    }

    public long stickyWriteFailures() {
        return stickyWriteFailures.get();
    }

    /** Segment lookups started (requests for which a running experiment targeted segments). */
    public long segmentLookups() {
        return segmentLookups.get();
    }

    /** Segment lookups that failed or timed out (answered 503 {@code SEGMENTS_UNAVAILABLE}). */
    public long segmentLookupFailures() {
        return segmentLookupFailures.get();
    }

    private StickyBucketDoc doc(String project, Map<String, StickyBucketDoc> docs, String attribute, JsonNode attributes) {
        String value = UnitAttributes.text(attributes.get(attribute));
        if (value == null) {
            return null;
        }
        String id = StickyBucketDoc.id(attribute, value);
        if (docs.containsKey(id)) {
            return docs.get(id);
        }
        StickyBucketDoc d = sticky.get(project, attribute, value).orElse(null);
        docs.put(id, d);
        return d;
    }

    private void persist(String project, Map<String, Map<String, String>> newSticky) {
        for (Map.Entry<String, Map<String, String>> e : newSticky.entrySet()) {
            int sep = e.getKey().indexOf("||");
            StickyBucketDoc doc = new StickyBucketDoc(e.getKey().substring(0, sep), e.getKey().substring(sep + 2), e.getValue());
            sticky.save(project, doc).whenComplete((ok, error) -> {
                if (error != null) {
                    stickyWriteFailures.incrementAndGet();
                    LOG.warn("sticky assignment of project {} not stored: {}", project, error.toString());
                }
            });
        }
    }
}
