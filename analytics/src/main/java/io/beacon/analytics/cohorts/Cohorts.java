package io.beacon.analytics.cohorts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.query.CohortResolver;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import io.beacon.event.RefusedException;
import io.beacon.event.RefusedException.Kind;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cohort definitions on the config store and their member sets in ClickHouse: CRUD, the resolver the query
 * parser uses for {@code {"cohort": id}} filters, count, paged members, CSV export, materialization of static
 * cohorts and CSV import. Blocking; run it off the HTTP dispatcher.
 */
public final class Cohorts {
    /** The config-store kind of cohort documents. */
    public static final String KIND = "cohort";
    /** Ids a CSV import may hold at most. */
    public static final int MAX_IMPORT_IDS = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(Cohorts.class);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConfigStore store;
    private final Warehouse warehouse;
    private final SqlRunner runner;

    /** @param runner runs the module's SELECTs (with its limits and measurements) */
    public Cohorts(ConfigStore store, Warehouse warehouse, SqlRunner runner) {
        this.store = store;
        this.warehouse = warehouse;
        this.runner = runner;
    }

    // ---- definitions ---------------------------------------------------------------------------

    public List<CohortDocument> list(String projectId) {
        List<CohortDocument> out = new ArrayList<>();
        for (ConfigEntry e : store.list(KIND, projectId)) {
            out.add(read(e));
        }
        return out;
    }

    public Optional<CohortDocument> find(String projectId, String id) {
        if (id == null || !CohortDocument.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return store.get(ConfigKey.of(KIND, projectId, id)).map(Cohorts::read);
    }

    public CohortDocument get(String projectId, String id) {
        return find(projectId, id).orElseThrow(() -> new RefusedException(Kind.NOT_FOUND, "COHORT_NOT_FOUND", "no cohort '" + printable(id) + "'", "id"));
    }

    public CohortDocument create(String projectId, JsonNode body) {
        String id;
        if (body != null && body.hasNonNull("id")) {
            if (!body.get("id").isTextual()) {
                throw new InvalidQueryException("id", "must be a string");
            }
            id = body.get("id").asText();
            CohortDocument.checkId(id, "id");
        } else {
            byte[] b = new byte[6];
            RANDOM.nextBytes(b);
            id = "c" + HexFormat.of().formatHex(b);
        }
        CohortDocument doc = CohortDocument.parse(id, body, 0);
        ConfigEntry e = store.put(ConfigKey.of(KIND, projectId, id), doc.toJson(), 0);
        return read(e);
    }

    /** Replaces the definition; {@code body.version} must be the current version. */
    public CohortDocument update(String projectId, String id, JsonNode body) {
        get(projectId, id);
        if (body == null || !body.has("version") || !body.get("version").isIntegralNumber() || body.get("version").asLong() < 1) {
            throw new InvalidQueryException("version", "the current version (a positive integer) is required to update");
        }
        if (body.hasNonNull("id") && !id.equals(body.get("id").asText())) {
            throw new InvalidQueryException("id", "does not match the path");
        }
        CohortDocument doc = CohortDocument.parse(id, body, 0);
        return read(store.put(ConfigKey.of(KIND, projectId, id), doc.toJson(), body.get("version").asLong()));
    }

    /** Deletes the definition, then (best effort, asynchronously in ClickHouse) its materialized members. */
    public void delete(String projectId, String id) {
        CohortDocument doc = get(projectId, id);
        store.delete(ConfigKey.of(KIND, projectId, id), doc.version());
        try {
            warehouse.execute("ALTER TABLE " + MigrationCatalog.COHORT_MEMBERS + " DELETE WHERE project_id = " + SqlLiterals.string(projectId)
                    + " AND cohort_id = " + SqlLiterals.string(id));
        } catch (RuntimeException e) {
            LOG.warn("could not remove the members of deleted cohort {}/{}: {}", projectId, id, e.getMessage());
        }
    }

    // ---- member sets ---------------------------------------------------------------------------

    /**
     * The resolver of {@code {"cohort": id}} filters for queries of {@code projectId} evaluated at {@code now} in
     * {@code zone} (the project's zone: "last D days" are the project's local days).
     */
    public CohortResolver resolver(String projectId, ZoneId zone, Instant now) {
        return (id, field) -> {
            CohortDocument doc = find(projectId, id).orElseThrow(() -> new InvalidQueryException(field, "no cohort '" + printable(id) + "'"));
            return membersSql(projectId, doc, zone, now);
        };
    }

    /** The SQL of the members (column {@code person}). */
    public static String membersSql(String projectId, CohortDocument doc, ZoneId zone, Instant now) {
        return doc.dynamic() ? CohortSql.dynamic(projectId, doc.definition(), now, zone) : CohortSql.materialized(projectId, doc.id());
    }

    public long count(String projectId, String id, ZoneId zone, Instant now) {
        String sql = "SELECT count() AS n FROM (" + membersSql(projectId, get(projectId, id), zone, now) + ")";
        return Long.parseLong(runner.run(sql).single());
    }

    /** Members ordered by id, {@code limit} from {@code offset}. */
    public List<String> members(String projectId, String id, ZoneId zone, Instant now, int offset, int limit) {
        String sql = "SELECT person FROM (" + membersSql(projectId, get(projectId, id), zone, now) + ")\nORDER BY person\nLIMIT "
                + offset + ", " + limit;
        List<String> out = new ArrayList<>();
        for (List<String> row : runner.run(sql).rows()) {
            out.add(row.get(0));
        }
        return out;
    }

    /** Materializes a static cohort's definition as its new member set; returns version and size. */
    public ObjectNode materialize(String projectId, String id, ZoneId zone, Instant now) {
        CohortDocument doc = get(projectId, id);
        if (doc.dynamic()) {
            throw new RefusedException(Kind.CONFLICT, "COHORT_IS_DYNAMIC", "only static cohorts are materialized; dynamic ones are evaluated at query time", "type");
        }
        if (doc.definition() == null) {
            throw new RefusedException(Kind.CONFLICT, "NO_DEFINITION", "this static cohort has no definition to materialize; import a CSV instead", "definition");
        }
        long version = nextVersion(projectId, id);
        warehouse.execute("INSERT INTO " + MigrationCatalog.COHORT_MEMBERS + " (project_id, cohort_id, version, person_id, inserted_at)\nSELECT "
                + SqlLiterals.string(projectId) + ", " + SqlLiterals.string(id) + ", " + version + ", person, now() FROM (\n"
                + CohortSql.dynamic(projectId, doc.definition(), now, zone) + "\n)");
        commit(projectId, id, version);
        return result(version, count(projectId, id, zone, now));
    }

    /** Replaces a static cohort's members by the ids of a CSV ({@link CsvIds}); nothing is written when a line is bad. */
    public ObjectNode importCsv(String projectId, String id, String csv) {
        CohortDocument doc = get(projectId, id);
        if (doc.dynamic()) {
            throw new RefusedException(Kind.CONFLICT, "COHORT_IS_DYNAMIC", "ids can only be imported into a static cohort", "type");
        }
        CsvIds.Parsed parsed = CsvIds.parse(csv, MAX_IMPORT_IDS);
        if (!parsed.errors().isEmpty()) {
            StringBuilder msg = new StringBuilder("the CSV has bad lines; nothing was imported: ");
            for (int i = 0; i < parsed.errors().size(); i++) {
                CsvIds.LineError e = parsed.errors().get(i);
                msg.append(i == 0 ? "" : "; ").append("line ").append(e.line()).append(": ").append(e.message());
            }
            throw new RefusedException(Kind.INVALID, "INVALID_CSV", msg.toString(), "body");
        }
        long version = nextVersion(projectId, id);
        String now = UTC.format(Instant.now());
        List<String> rows = new ArrayList<>(parsed.ids().size());
        for (String member : parsed.ids()) {
            rows.add(row(projectId, id, version, member, now));
        }
        if (!rows.isEmpty()) {
            warehouse.insert(MigrationCatalog.COHORT_MEMBERS, rows);
        }
        commit(projectId, id, version);
        return result(version, parsed.ids().size());
    }

    private long nextVersion(String projectId, String id) {
        String v = runner.run(CohortSql.committedVersion(projectId, id)).single();
        return Math.max(System.currentTimeMillis(), Long.parseLong(v) + 1);
    }

    /** The commit row makes {@code version} current; older versions are then deleted (a ClickHouse mutation, asynchronous). */
    private void commit(String projectId, String id, long version) {
        warehouse.insert(MigrationCatalog.COHORT_MEMBERS, List.of(row(projectId, id, version, "", UTC.format(Instant.now()))));
        try {
            warehouse.execute("ALTER TABLE " + MigrationCatalog.COHORT_MEMBERS + " DELETE WHERE project_id = " + SqlLiterals.string(projectId)
                    + " AND cohort_id = " + SqlLiterals.string(id) + " AND version < " + version);
        } catch (RuntimeException e) {
            LOG.warn("could not remove old member versions of cohort {}/{}: {}", projectId, id, e.getMessage());
        }
    }

    private static String row(String projectId, String cohortId, long version, String person, String insertedAt) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("project_id", projectId);
        o.put("cohort_id", cohortId);
        o.put("version", version);
        o.put("person_id", person);
        o.put("inserted_at", insertedAt);
        return o.toString();
    }

    private static ObjectNode result(long version, long count) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("version", version);
        o.put("count", count);
        return o;
    }

    private static CohortDocument read(ConfigEntry e) {
        return CohortDocument.parse(e.key().id(), e.document(), e.version());
    }

    static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
