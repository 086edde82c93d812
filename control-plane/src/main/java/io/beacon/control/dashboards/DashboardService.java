package io.beacon.control.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.project.Project;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import io.beacon.event.RefusedException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and versioned writes of saved insights (kind {@value SavedInsight#KIND}) and dashboards (kind
 * {@value Dashboard#KIND}) in the config store. Before anything is written, a saved query is parsed by the analytics
 * query parser ({@link InsightQueryCheck}): a refused one answers 400 {@code INVALID_QUERY} naming
 * {@code query.<path>}; a dashboard's tiles must name saved insights of the project, and a saved insight that a
 * dashboard shows cannot be deleted (409 {@code IN_USE}). A stored document that does not parse (written by hand) is
 * skipped with a warning.
 */
public final class DashboardService {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardService.class);

    private final ConfigStore store;
    private final InsightQueryCheck checks;
    private final Clock clock;

    public DashboardService(ConfigStore store, InsightQueryCheck checks) {
        this(store, checks, Clock.systemUTC());
    }

    public DashboardService(ConfigStore store, InsightQueryCheck checks, Clock clock) {
        this.store = store;
        this.checks = checks;
        this.clock = clock;
    }

    // ---- saved insights ------------------------------------------------------------------------

    /** The project's saved insights, ordered by id. */
    public List<SavedInsight> insights(String project) {
        return store.list(SavedInsight.KIND, project).stream().flatMap(e -> decode(e, DashboardJson::insightFromEntry).stream()).toList();
    }

    public Optional<SavedInsight> insight(String project, String id) {
        return store.get(SavedInsight.key(project, id)).flatMap(e -> decode(e, DashboardJson::insightFromEntry));
    }

    /**
     * Writes {@code s} as the next version ({@code expectedVersion} 0 = create) once its query parses; completes with
     * the stored insight. {@code created_at} is kept from the version replaced.
     */
    public CompletionStage<SavedInsight> put(Project project, SavedInsight s, long expectedVersion) {
        ObjectNode query = s.query().deepCopy();
        query.put("analysis", s.analysis());
        checks.query(project, s.analysis(), query).ifPresent(p -> {
            throw new RefusedException(RefusedException.Kind.INVALID, "INVALID_QUERY", "query." + p.field() + ": " + p.message(),
                    "query." + p.field());
        });
        long now = clock.millis();
        long created = insight(s.projectId(), s.id()).map(SavedInsight::createdAtMs).filter(c -> c > 0).orElse(now);
        return store.putAsync(s.key(), DashboardJson.toDocument(s.stamped(0, created, now)), expectedVersion)
                .thenApply(DashboardJson::insightFromEntry);
    }

    /** Deletes the insight at {@code expectedVersion}; refused while a dashboard has a tile of it. */
    public CompletionStage<Void> deleteInsight(String project, String id, long expectedVersion) {
        if (expectedVersion < 1) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("version", "must be at least 1 for a delete"));
        }
        List<String> users = dashboards(project).stream()
                .filter(d -> d.tiles().stream().anyMatch(t -> t.insight().equals(id)))
                .map(Dashboard::id).toList();
        if (!users.isEmpty()) {
            return CompletableFuture.failedFuture(new RefusedException(RefusedException.Kind.CONFLICT, "IN_USE",
                    "saved insight '" + id + "' is shown on dashboard(s) " + String.join(", ", users) + ": remove the tiles first", "id"));
        }
        return store.deleteAsync(SavedInsight.key(project, id), expectedVersion);
    }

    // ---- dashboards ----------------------------------------------------------------------------

    /** The project's dashboards, ordered by id. */
    public List<Dashboard> dashboards(String project) {
        return store.list(Dashboard.KIND, project).stream().flatMap(e -> decode(e, DashboardJson::dashboardFromEntry).stream()).toList();
    }

    public Optional<Dashboard> dashboard(String project, String id) {
        return store.get(Dashboard.key(project, id)).flatMap(e -> decode(e, DashboardJson::dashboardFromEntry));
    }

    /**
     * Writes {@code d} as the next version ({@code expectedVersion} 0 = create) once every tile names a saved insight
     * of the project and a fixed shared range parses; completes with the stored dashboard.
     */
    public CompletionStage<Dashboard> put(Project project, Dashboard d, long expectedVersion) {
        for (int i = 0; i < d.tiles().size(); i++) {
            String insight = d.tiles().get(i).insight();
            if (store.get(SavedInsight.key(d.projectId(), insight)).isEmpty()) {
                throw InvalidDocumentException.of("tiles[" + i + "].insight", "names no saved insight ('" + insight + "')");
            }
        }
        if (d.dateRange() != null && !d.dateRange().relative()) {
            Optional<FieldError> problem = checks.dateRange(project, DashboardJson.rangeJson(d.dateRange()));
            problem.ifPresent(p -> {
                throw InvalidDocumentException.of(p.field(), p.message());
            });
        }
        long now = clock.millis();
        long created = dashboard(d.projectId(), d.id()).map(Dashboard::createdAtMs).filter(c -> c > 0).orElse(now);
        return store.putAsync(d.key(), DashboardJson.toDocument(d.stamped(0, created, now)), expectedVersion)
                .thenApply(DashboardJson::dashboardFromEntry);
    }

    public CompletionStage<Void> deleteDashboard(String project, String id, long expectedVersion) {
        if (expectedVersion < 1) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("version", "must be at least 1 for a delete"));
        }
        return store.deleteAsync(Dashboard.key(project, id), expectedVersion);
    }

    private static <T> Optional<T> decode(ConfigEntry entry, Function<ConfigEntry, T> reader) {
        try {
            return Optional.of(reader.apply(entry));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable {} document {}: {}", entry.key().kind(), entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
