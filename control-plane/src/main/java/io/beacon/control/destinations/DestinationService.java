package io.beacon.control.destinations;

import io.beacon.control.InvalidDocumentException;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConflictException;
import io.beacon.event.RefusedException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and versioned writes of destination definitions in the config store (kind
 * {@value DestinationDefinition#KIND}). Before a write it checks what {@link DestinationJson} cannot:
 * that the URL's host passes the {@link DestinationAddresses address policy} (a DNS lookup, run on a
 * worker thread so HTTP handlers never block) and that every subscribed segment exists in the project.
 * {@link #setEnabled} is how the connectors disable a destination (410 Gone, days of failures) and
 * re-enable it on recovery.
 */
public final class DestinationService {
    /** How often {@link #setEnabled} re-reads and retries after losing a version race. */
    public static final int SET_ENABLED_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(DestinationService.class);
    private static final Executor CHECKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "destination-checks");
        t.setDaemon(true);
        return t;
    });

    private final ConfigStore store;
    private final SegmentService segments;
    private final DestinationAddresses addresses;
    private final Clock clock;
    private final Executor checks;

    public DestinationService(ConfigStore store, SegmentService segments, DestinationAddresses addresses) {
        this(store, segments, addresses, Clock.systemUTC(), CHECKS);
    }

    /** @param checks where the address check (a DNS lookup) of a write runs */
    public DestinationService(ConfigStore store, SegmentService segments, DestinationAddresses addresses, Clock clock,
                              Executor checks) {
        this.store = Objects.requireNonNull(store, "store");
        this.segments = Objects.requireNonNull(segments, "segments");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checks = Objects.requireNonNull(checks, "checks");
    }

    /** The policy the URLs were checked with (the connectors check again when they send). */
    public DestinationAddresses addresses() {
        return addresses;
    }

    /** The project's destinations, ordered by id. */
    public List<DestinationDefinition> list(String project) {
        return store.list(DestinationDefinition.KIND, project).stream().flatMap(e -> decode(e).stream()).toList();
    }

    public Optional<DestinationDefinition> get(String project, String id) {
        return store.get(DestinationDefinition.key(project, id)).flatMap(DestinationService::decode);
    }

    /**
     * Throws {@link InvalidDocumentException} when {@code def}'s URL host is refused by the address policy
     * (field {@code url}) or a subscription names a segment the project does not have
     * ({@code subscriptions[i].segment}). Blocks on DNS.
     */
    public void check(DestinationDefinition def) {
        String host = URI.create(def.url()).getHost();
        DestinationAddresses.AddressCheck verdict = addresses.check(host);
        verdict.refusal().ifPresent(m -> {
            throw InvalidDocumentException.of("url", m);
        });
        for (int i = 0; i < def.subscriptions().size(); i++) {
            Subscription s = def.subscriptions().get(i);
            String segment = s instanceof Subscription.SegmentEntered e ? e.segment()
                    : s instanceof Subscription.SegmentExited x ? x.segment() : null;
            if (segment != null && segments.get(def.projectId(), segment).isEmpty()) {
                throw InvalidDocumentException.of("subscriptions[" + i + "].segment",
                        "names no segment of project '" + def.projectId() + "' ('" + segment + "')");
            }
        }
    }

    /**
     * {@link #check}s {@code def} and writes it as the next version ({@code expectedVersion} 0 = create);
     * completes with the stored definition (its version and {@code updated_at} set). An enabled definition
     * has no {@code disabled_reason}; a disabled one keeps the reason of the current version, if that was
     * disabled too. Nothing is written when the check fails.
     */
    public CompletionStage<DestinationDefinition> put(DestinationDefinition def, long expectedVersion) {
        return CompletableFuture.supplyAsync(() -> {
            check(def);
            String reason = def.enabled() ? null : get(def.projectId(), def.id())
                    .filter(c -> !c.enabled()).map(DestinationDefinition::disabledReason).orElse(null);
            return def.withEnabled(def.enabled(), reason).withVersion(0, clock.millis());
        }, checks).thenCompose(stamped -> store.putAsync(stamped.key(), DestinationJson.toDocument(stamped), expectedVersion))
                .thenApply(DestinationJson::fromEntry);
    }

    public CompletionStage<Void> delete(String project, String id, long expectedVersion) {
        if (expectedVersion < 1) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("version", "must be at least 1 for a delete"));
        }
        return store.deleteAsync(DestinationDefinition.key(project, id), expectedVersion);
    }

    /**
     * Writes the next version with {@code enabled} changed: disabling stores {@code reason} as
     * {@code disabled_reason}, enabling clears it ({@code reason} is then only logged). Nothing else of the
     * definition changes and it is not re-checked. Retries up to {@value #SET_ENABLED_ATTEMPTS} times when a
     * concurrent write wins the version race; completes with the current definition without writing when it
     * is already in that state, and fails with a {@link RefusedException} (not found) when there is none.
     */
    public CompletionStage<DestinationDefinition> setEnabled(String project, String id, boolean enabled, String reason) {
        return setEnabled(project, id, enabled, reason, 1);
    }

    private CompletionStage<DestinationDefinition> setEnabled(String project, String id, boolean enabled, String reason, int attempt) {
        Optional<DestinationDefinition> current = get(project, id);
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new RefusedException(RefusedException.Kind.NOT_FOUND,
                    "DESTINATION_NOT_FOUND", "no destination '" + id + "' in project '" + project + "'", null));
        }
        DestinationDefinition now = current.get();
        String newReason = enabled ? null : reason;
        if (now.enabled() == enabled && Objects.equals(now.disabledReason(), newReason)) {
            return CompletableFuture.completedFuture(now);
        }
        DestinationDefinition next = now.withEnabled(enabled, newReason).withVersion(0, clock.millis());
        return store.putAsync(next.key(), DestinationJson.toDocument(next), now.version())
                .thenApply(DestinationJson::fromEntry)
                .thenApply(d -> {
                    LOG.info("destination {}/{} {} at version {} ({})", project, id, enabled ? "enabled" : "disabled",
                            d.version(), reason);
                    return d;
                })
                .exceptionallyCompose(e -> {
                    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (t instanceof ConflictException && attempt < SET_ENABLED_ATTEMPTS) {
                        LOG.debug("destination {}/{}: version race on setEnabled, attempt {}", project, id, attempt);
                        return setEnabled(project, id, enabled, reason, attempt + 1);
                    }
                    return CompletableFuture.failedFuture(t);
                });
    }

    /** A stored entry as a definition; empty (with a warning) when it does not parse. */
    public static Optional<DestinationDefinition> decode(ConfigEntry entry) {
        try {
            return Optional.of(DestinationJson.fromEntry(entry));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable destination document {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
