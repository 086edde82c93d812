package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationService;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConflictException;
import io.beacon.event.RefusedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and versioned writes of journeys in the config store, and their lifecycle (docs/journeys.md).
 *
 * <ul>
 *   <li>The current definition is {@code journey/<project>/<id>} (any status). Each published graph is also kept,
 *       immutable, as {@code journey_version/<project>/<id>/<n>}: the engine keeps runs on the version they entered,
 *       so it needs the old graphs after a new one is published.</li>
 *   <li>{@code journey_version} is the service's to set, not the client's: a journey that was never live stays at 1
 *       while it is edited; editing the graph of a live or paused journey publishes {@code n + 1}. Editing only the
 *       name, description or priority changes nothing for runs and keeps {@code n}.</li>
 *   <li>A publication may carry a step mapping old → new ({@link StepMapping}): the runs of version {@code n} at a
 *       mapped step move to the new version's step; the others finish on {@code n}. It is stored with the new
 *       version's document ({@code step_mapping: {"from_version", "steps"}}).</li>
 *   <li>Status moves only along {@link JourneyStatus#canMoveTo}; an archived journey is read-only; only a draft or an
 *       archived journey may be deleted.</li>
 *   <li>Frequency caps are one document per project, {@code journey_caps/<project>/default}.</li>
 * </ul>
 * Every write checks the definition first ({@link JourneyJson}/{@link JourneyValidator} with the project's
 * destinations and segments) and writes nothing when it fails.
 */
public final class JourneyService {
    /** Kind of the immutable published versions. */
    public static final String VERSION_KIND = "journey_version";

    private static final Logger LOG = LoggerFactory.getLogger(JourneyService.class);

    private final ConfigStore store;
    private final SegmentService segments;
    private final DestinationService destinations;
    private final Clock clock;

    public JourneyService(ConfigStore store, SegmentService segments, DestinationService destinations) {
        this(store, segments, destinations, Clock.systemUTC());
    }

    public JourneyService(ConfigStore store, SegmentService segments, DestinationService destinations, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.segments = Objects.requireNonNull(segments, "segments");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What references are checked against: the project's destinations and segments now. */
    public JourneyContext context(String project) {
        return JourneyContext.of(
                destinations.list(project).stream().map(DestinationDefinition::id).collect(Collectors.toSet()),
                segments.list(project).stream().map(SegmentDefinition::id).collect(Collectors.toSet()));
    }

    /** The project's journeys, ordered by id. */
    public List<JourneyDefinition> list(String project) {
        return store.list(JourneyDefinition.KIND, project).stream().flatMap(e -> decode(e).stream()).toList();
    }

    public Optional<JourneyDefinition> get(String project, String id) {
        return store.get(JourneyDefinition.key(project, id)).flatMap(JourneyService::decode);
    }

    /** The key of published version {@code n} of a journey. */
    public static ConfigKey versionKey(String project, String id, int n) {
        return ConfigKey.of(VERSION_KIND, project, id + "/" + n);
    }

    /** Published version {@code n}, as it was published. */
    public Optional<PublishedVersion> version(String project, String id, int n) {
        return store.get(versionKey(project, id, n)).flatMap(JourneyService::decodeVersion);
    }

    /** Every published version of a journey, oldest first. */
    public List<PublishedVersion> versions(String project, String id) {
        List<PublishedVersion> out = new ArrayList<>();
        for (ConfigEntry e : store.list(VERSION_KIND, project)) {
            if (e.key().id().startsWith(id + "/")) {
                decodeVersion(e).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(v -> v.definition().journeyVersion()));
        return out;
    }

    /**
     * A published graph.
     *
     * @param definition  the journey as published (its status is the one it had then)
     * @param fromVersion the version {@link #mapping} moves runs from, 0 when there is none
     * @param mapping     old step → new step, empty when the publisher mapped nothing
     * @param publishedAtMs when the version was published (the control plane's clock): the mapping moves the runs that
     *                    were at a mapped step then, not those that reach one later; {@link Long#MAX_VALUE} when not
     *                    recorded (every run at a mapped step moves)
     */
    public record PublishedVersion(JourneyDefinition definition, int fromVersion, Map<String, String> mapping,
                                   long publishedAtMs) {
        public PublishedVersion {
            mapping = Map.copyOf(mapping);
        }

        public PublishedVersion(JourneyDefinition definition, int fromVersion, Map<String, String> mapping) {
            this(definition, fromVersion, mapping, Long.MAX_VALUE);
        }
    }

    /**
     * Writes {@code def} as the next store version ({@code expectedVersion} 0 = create), setting its
     * {@code journey_version} as the class describes; {@code mapping} (may be empty) moves runs of the previous
     * version and needs a new version to be published. Completes with the stored definition.
     *
     * @throws InvalidDocumentException (also as the stage's failure) for an invalid definition, status move or mapping
     */
    public CompletionStage<JourneyDefinition> put(JourneyDefinition def, long expectedVersion, Map<String, String> mapping) {
        JourneyValidator.requireValid(def, context(def.projectId()));
        Optional<JourneyDefinition> current = get(def.projectId(), def.id());
        if (expectedVersion > 0 && current.isPresent() && current.get().version() != expectedVersion) {
            return CompletableFuture.failedFuture(new ConflictException(def.key(), expectedVersion, current.get().version()));
        }
        int journeyVersion = 1;
        if (current.isPresent()) {
            JourneyDefinition c = current.get();
            if (c.status() == JourneyStatus.ARCHIVED) {
                throw InvalidDocumentException.of("status", "the journey is archived and cannot be edited");
            }
            if (def.status() != c.status() && !c.status().canMoveTo(def.status())) {
                throw InvalidDocumentException.of("status", "cannot move from " + c.status().wireName() + " to " + def.status().wireName());
            }
            boolean published = c.status() != JourneyStatus.DRAFT;
            journeyVersion = published && !sameGraph(c, def) ? c.journeyVersion() + 1 : c.journeyVersion();
        } else if (def.status() != JourneyStatus.DRAFT && def.status() != JourneyStatus.LIVE) {
            throw InvalidDocumentException.of("status", "a new journey is draft or live");
        }
        JourneyDefinition next = def.withJourneyVersion(journeyVersion).withVersion(0, clock.millis());
        int fromVersion = 0;
        if (!mapping.isEmpty()) {
            if (current.isEmpty() || journeyVersion == current.get().journeyVersion()) {
                throw InvalidDocumentException.of("step_mapping", "maps runs to a new version, and this write publishes none");
            }
            JourneyDefinition from = version(def.projectId(), def.id(), current.get().journeyVersion())
                    .map(PublishedVersion::definition).orElse(current.get());
            List<FieldError> errors = StepMapping.validate(from, next, mapping);
            if (!errors.isEmpty()) {
                throw new InvalidDocumentException(errors);
            }
            fromVersion = from.journeyVersion();
        }
        CompletionStage<Void> published = next.status() == JourneyStatus.DRAFT
                ? CompletableFuture.completedFuture(null) : publish(next, fromVersion, mapping);
        return published.thenCompose(x -> store.putAsync(next.key(), JourneyJson.toDocument(next), expectedVersion))
                .thenApply(e -> JourneyJson.fromEntry(e, JourneyContext.unchecked()));
    }

    /**
     * Moves the journey to {@code status} (publishing its version when it goes live the first time); completes with
     * the stored definition, or at once with the current one when it already has that status.
     */
    public CompletionStage<JourneyDefinition> setStatus(String project, String id, JourneyStatus status, long expectedVersion) {
        JourneyDefinition c = get(project, id).orElseThrow(() -> notFound(project, id));
        if (c.status() == status) {
            return CompletableFuture.completedFuture(c);
        }
        if (!c.status().canMoveTo(status)) {
            throw InvalidDocumentException.of("status", "cannot move from " + c.status().wireName() + " to " + status.wireName());
        }
        JourneyDefinition next = c.withStatus(status).withVersion(0, clock.millis());
        CompletionStage<Void> published = status == JourneyStatus.LIVE && version(project, id, c.journeyVersion()).isEmpty()
                ? publish(next, 0, Map.of()) : CompletableFuture.completedFuture(null);
        return published.thenCompose(x -> store.putAsync(next.key(), JourneyJson.toDocument(next), expectedVersion))
                .thenApply(e -> JourneyJson.fromEntry(e, JourneyContext.unchecked()))
                .thenApply(d -> {
                    LOG.info("journey {}/{} is {} at version {} (store version {})", project, id, status.wireName(),
                            d.journeyVersion(), d.version());
                    return d;
                });
    }

    /** Deletes a draft or an archived journey (a live or paused one must be archived first: its runs end). */
    public CompletionStage<Void> delete(String project, String id, long expectedVersion) {
        if (expectedVersion < 1) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("version", "must be at least 1 for a delete"));
        }
        JourneyDefinition c = get(project, id).orElseThrow(() -> notFound(project, id));
        if (c.status() == JourneyStatus.LIVE || c.status() == JourneyStatus.PAUSED) {
            throw InvalidDocumentException.of("status", "a " + c.status().wireName() + " journey cannot be deleted: archive it first");
        }
        return store.deleteAsync(JourneyDefinition.key(project, id), expectedVersion);
    }

    /** The project's frequency caps (none when it has not set any). */
    public FrequencyCaps caps(String project) {
        return store.get(FrequencyCaps.key(project)).map(e -> FrequencyCaps.parse(project, e.document()))
                .orElse(FrequencyCaps.none(project));
    }

    /** Replaces the project's caps; completes with what was stored. */
    public CompletionStage<FrequencyCaps> putCaps(FrequencyCaps caps) {
        long current = store.get(caps.key()).map(ConfigEntry::version).orElse(0L);
        return store.putAsync(caps.key(), FrequencyCaps.toDocument(caps), current)
                .thenApply(e -> FrequencyCaps.parse(caps.projectId(), e.document()));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Writes the immutable version document; one already there must hold the same graph (else a concurrent publication won). */
    private CompletionStage<Void> publish(JourneyDefinition def, int fromVersion, Map<String, String> mapping) {
        ObjectNode doc = JourneyJson.toDocument(def);
        if (!mapping.isEmpty()) {
            ObjectNode m = doc.putObject("step_mapping");
            m.put("from_version", fromVersion);
            m.put("published_at_ms", def.updatedAtMs());
            ObjectNode steps = m.putObject("steps");
            mapping.forEach(steps::put);
        }
        ConfigKey key = versionKey(def.projectId(), def.id(), def.journeyVersion());
        return store.putAsync(key, doc, 0).handle((e, failure) -> {
            if (failure == null) {
                return (Void) null;
            }
            Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (t instanceof ConflictException) {
                Optional<PublishedVersion> there = version(def.projectId(), def.id(), def.journeyVersion());
                if (there.isPresent() && sameGraph(there.get().definition(), def)) {
                    return (Void) null;
                }
            }
            throw t instanceof RuntimeException r ? r : new CompletionException(t);
        });
    }

    /** Whether two definitions have the same graph and run rules (everything but name, description, priority, status, versions). */
    static boolean sameGraph(JourneyDefinition a, JourneyDefinition b) {
        return graphOf(a).equals(graphOf(b));
    }

    private static JsonNode graphOf(JourneyDefinition d) {
        ObjectNode o = JourneyJson.toDocument(d);
        for (String f : new String[] {"name", "description", "priority", "status", "journey_version", "updated_at"}) {
            o.remove(f);
        }
        return o;
    }

    private static RefusedException notFound(String project, String id) {
        return new RefusedException(RefusedException.Kind.NOT_FOUND, "JOURNEY_NOT_FOUND",
                "no journey '" + id + "' in project '" + project + "'", null);
    }

    /** A stored entry as a definition; empty (with a warning) when it does not parse. */
    public static Optional<JourneyDefinition> decode(ConfigEntry entry) {
        try {
            return Optional.of(JourneyJson.fromEntry(entry, JourneyContext.unchecked()));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable journey document {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A stored version entry; empty (with a warning) when it does not parse. */
    public static Optional<PublishedVersion> decodeVersion(ConfigEntry entry) {
        String keyId = entry.key().id();
        int slash = keyId.lastIndexOf('/');
        if (slash <= 0 || !entry.document().isObject()) {
            LOG.warn("ignoring journey version document with a malformed key or body {}", entry.key());
            return Optional.empty();
        }
        ObjectNode doc = ((ObjectNode) entry.document()).deepCopy();
        JsonNode m = doc.remove("step_mapping");
        try {
            JourneyDefinition def = JourneyJson.parse(entry.key().project(), keyId.substring(0, slash), doc, JourneyContext.unchecked())
                    .withVersion(entry.version(), 0);
            Map<String, String> mapping = new LinkedHashMap<>();
            int from = 0;
            long publishedAt = Long.MAX_VALUE;
            if (m != null && m.isObject()) {
                from = m.path("from_version").asInt(0);
                m.path("steps").fields().forEachRemaining(f -> mapping.put(f.getKey(), f.getValue().asText()));
                publishedAt = m.path("published_at_ms").asLong(Long.MAX_VALUE);
            }
            return Optional.of(new PublishedVersion(def, from, mapping, publishedAt));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable journey version document {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
