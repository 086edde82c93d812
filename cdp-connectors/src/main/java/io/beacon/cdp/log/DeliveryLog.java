package io.beacon.cdp.log;

import io.beacon.event.RefusedException;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.DeliveryAttempt.Outcome;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads the connectors' delivery log, ClickHouse {@code deliveries} (filled by the warehouse's
 * {@code DeliverySink} from {@code beacon.cdp.deliveries}), for the API and the console: a destination's recent
 * attempts and its figures over a window. Every read is {@code FINAL}, so a sink replay's copies count once.
 * Invalid arguments are {@link RefusedException}s naming the field (400 through the http-kit); ClickHouse failures
 * surface as {@code WarehouseException}s.
 */
public final class DeliveryLog {
    /** The most attempts one {@link #recentAttempts} call returns. */
    public static final int MAX_LIMIT = 500;
    /** The shortest window of {@link #stats}. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    /** The longest window of {@link #stats}. */
    public static final Duration MAX_WINDOW = Duration.ofDays(366);
    private static final int MAX_ID_LENGTH = 512;

    private final ClickHouse clickhouse;
    private final Clock clock;

    /** @param clock the end of every window ("now") */
    public DeliveryLog(ClickHouse clickhouse, Clock clock) {
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The clock every window ends at (for answers that show the window). */
    public Clock clock() {
        return clock;
    }

    /**
     * The destination's attempts, newest first ({@code at_ms}, then message and attempt number descending), only
     * those of {@code messageId} when given. Strings stored empty come back {@code null}.
     *
     * @param limit 1..{@value #MAX_LIMIT}
     */
    public List<DeliveryAttempt> recentAttempts(String projectId, String destinationId, int limit, Optional<String> messageId) {
        checkId(projectId, "project_id");
        checkId(destinationId, "destination_id");
        messageId.ifPresent(m -> checkId(m, "message_id"));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("INVALID_LIMIT", "limit must be an integer in 1.." + MAX_LIMIT, "limit");
        }
        QueryResult r = clickhouse.query(LogSql.recentAttempts(projectId, destinationId, limit, messageId));
        List<DeliveryAttempt> out = new ArrayList<>(r.size());
        for (Map<String, String> row : r.asMaps()) {
            out.add(new DeliveryAttempt(row.get("project_id"), row.get("destination_id"), nullIfEmpty(row.get("person_id")),
                    row.get("message_id"), nullIfEmpty(row.get("type")), Integer.parseInt(row.get("attempt")),
                    Long.parseLong(row.get("at_ms")), Integer.parseInt(row.get("status")),
                    Outcome.valueOf(row.get("outcome").toUpperCase(Locale.ROOT)), Long.parseLong(row.get("latency_ms")),
                    nullIfEmpty(row.get("error")), nullIfEmpty(row.get("response_body"))));
        }
        return out;
    }

    /**
     * One destination's figures over the last {@code window} (attempts at or after now − window); {@link
     * DeliveryStats#none} when it had no attempts then (also for an id no destination has).
     *
     * @param window {@link #MIN_WINDOW}..{@link #MAX_WINDOW}
     */
    public DeliveryStats stats(String projectId, String destinationId, Duration window) {
        checkId(projectId, "project_id");
        checkId(destinationId, "destination_id");
        List<DeliveryStats> rows = read(projectId, Optional.of(destinationId), window);
        return rows.isEmpty() ? DeliveryStats.none(destinationId) : rows.get(0);
    }

    /**
     * The figures of every destination of the project with attempts in the last {@code window}, ordered by id, in
     * one query grouped by destination. Destinations without attempts in the window are absent.
     */
    public List<DeliveryStats> statsOfAll(String projectId, Duration window) {
        checkId(projectId, "project_id");
        return read(projectId, Optional.empty(), window);
    }

    private List<DeliveryStats> read(String projectId, Optional<String> destinationId, Duration window) {
        if (window == null || window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw invalid("INVALID_WINDOW", "window must lie between 1 minute and 366 days", "window");
        }
        long fromMs = Math.max(0, clock.millis() - window.toMillis());
        QueryResult r = clickhouse.query(LogSql.stats(projectId, destinationId, fromMs));
        List<DeliveryStats> out = new ArrayList<>(r.size());
        for (Map<String, String> row : r.asMaps()) {
            long messages = Long.parseLong(row.get("messages"));
            long delivered = Long.parseLong(row.get("delivered"));
            double[] q = quantiles(row.get("latency"));
            out.add(new DeliveryStats(row.get("destination_id"), Long.parseLong(row.get("attempts")), messages, delivered,
                    new DeliveryStats.Failures(Long.parseLong(row.get("retry")), Long.parseLong(row.get("throttled")),
                            Long.parseLong(row.get("dead_lettered"))),
                    messages == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) delivered / messages),
                    Optional.of(new DeliveryStats.Latency(q[0], q[1], q[2])),
                    OptionalLong.of(Long.parseLong(row.get("last_at_ms")))));
        }
        return out;
    }

    /** ClickHouse's text of a 3-element {@code Array(Float64)}: {@code [50,95.5,99]}. */
    static double[] quantiles(String text) {
        String inner = text.trim();
        if (!inner.startsWith("[") || !inner.endsWith("]")) {
            throw new IllegalStateException("not an array of quantiles: " + text);
        }
        String[] parts = inner.substring(1, inner.length() - 1).split(",");
        if (parts.length != 3) {
            throw new IllegalStateException("expected 3 quantiles: " + text);
        }
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Double.parseDouble(parts[i].trim());
        }
        return out;
    }

    private static void checkId(String id, String field) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid("INVALID_PARAMETER", field + " must be 1.." + MAX_ID_LENGTH + " characters without control characters", field);
        }
    }

    private static RefusedException invalid(String code, String message, String field) {
        return new RefusedException(RefusedException.Kind.INVALID, code, message, field);
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
