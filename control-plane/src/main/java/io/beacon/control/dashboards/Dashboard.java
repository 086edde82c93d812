package io.beacon.control.dashboards;

import io.beacon.control.store.ConfigKey;
import java.util.List;
import java.util.Objects;

/**
 * A dashboard: an ordered list of tiles, each showing one {@link SavedInsight}, with an optional date range that
 * replaces every tile's own and an auto-refresh period. Stored under {@code dashboard/<project>/<id>}
 * (docs/dashboards.md).
 *
 * @param projectId      the project (from the config key)
 * @param id             {@link DashboardJson#checkId id grammar}; generated ({@code dash_…}) when a create names none
 * @param name           display name, 1–200 characters
 * @param description    free text or {@code null}
 * @param tiles          the tiles in display order
 * @param dateRange      the shared range replacing the tiles' ranges, or {@code null} to keep each tile's own
 * @param refreshSeconds 0 = no auto-refresh, else at least {@value DashboardJson#MIN_REFRESH_SECONDS}
 * @param version        the config-store version (&ge; 1 once stored, 0 before)
 * @param createdAtMs    when the first version was written (epoch ms)
 * @param updatedAtMs    when this version was written (epoch ms)
 */
public record Dashboard(String projectId, String id, String name, String description, List<Tile> tiles, SharedRange dateRange,
                        int refreshSeconds, long version, long createdAtMs, long updatedAtMs) {
    public static final String KIND = "dashboard";

    public Dashboard {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        tiles = List.copyOf(tiles);
    }

    /**
     * One tile.
     *
     * @param insight the saved insight's id
     * @param width   columns of the dashboard grid (1–{@value DashboardJson#MAX_WIDTH}), or 0 for the default
     */
    public record Tile(String insight, int width) {
        public Tile {
            Objects.requireNonNull(insight, "insight");
        }
    }

    /**
     * The shared date range: either the last {@code lastDays} local days of the project's zone (today included) or the
     * fixed {@code from}/{@code to} of a query's {@code date_range}.
     */
    public record SharedRange(int lastDays, String from, String to) {
        public static SharedRange last(int days) {
            return new SharedRange(days, null, null);
        }

        public static SharedRange fixed(String from, String to) {
            return new SharedRange(0, Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
        }

        public boolean relative() {
            return lastDays > 0;
        }
    }

    public static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    public ConfigKey key() {
        return key(projectId, id);
    }

    public Dashboard stamped(long newVersion, long newCreatedAtMs, long newUpdatedAtMs) {
        return new Dashboard(projectId, id, name, description, tiles, dateRange, refreshSeconds, newVersion, newCreatedAtMs, newUpdatedAtMs);
    }
}
