package io.beacon.abtest.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.exposure.ExposureLogger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns a unit to every running experiment of a project it is eligible for: reads the unit's sticky
 * documents, runs {@link Assigner} per experiment, stores new sticky assignments (asynchronously, never
 * delaying the answer) and logs exposures. {@link #assignAsync} completes once the exposures that were
 * new are durably logged (the API answers then: at-least-once exposures, see {@link ExposureLogger});
 * {@link #assign} returns at once and logs in the background. Non-blocking; safe on HTTP dispatchers.
 */
public final class AssignmentService {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentService.class);

    private final ExperimentCatalog catalog;
    private final StickyBucketStore sticky;
    private final ExposureLogger exposures;
    private final boolean stickyEnabled;
    private final AtomicLong stickyWriteFailures = new AtomicLong();

    public AssignmentService(ExperimentCatalog catalog, StickyBucketStore sticky, ExposureLogger exposures, boolean stickyEnabled) {
        this.catalog = catalog;
        this.sticky = sticky;
        this.exposures = exposures;
        this.stickyEnabled = stickyEnabled;
    }

    /**
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

    private StickyBucketDoc doc(String project, Map<String, StickyBucketDoc> docs, String attribute, JsonNode attributes) {
        String value = Assigner.attributeText(attributes.get(attribute));
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
