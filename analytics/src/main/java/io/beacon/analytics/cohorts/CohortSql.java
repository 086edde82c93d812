package io.beacon.analytics.cohorts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.FilterSql;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Span;
import io.beacon.control.audience.Window;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a cohort's member set (pure): one column {@code person}, the resolved person ids.
 *
 * <p><b>Dynamic</b> ({@link #dynamic}): every event of the project (all time: the universe is every resolved
 * person with at least one event, so {@code not}, {@code not_performed} and {@code lte} have a complement),
 * one flag column per condition, then per person a count or an array of times per behavioural condition, then
 * the rule tree as a WHERE over those:
 * <pre>
 * SELECT person FROM (
 *   SELECT person, countIf(m0 = 1 AND t &gt;= from0) AS k0, groupArrayIf(t, a1 = 1 AND t &gt;= from1) AS xa1, …
 *   FROM (SELECT event_time_ms AS t, toUInt8(&lt;selector 0&gt;) AS m0, …, &lt;resolved person&gt; AS person
 *         FROM events FINAL WHERE project_id = …)
 *   GROUP BY person)
 * WHERE &lt;tree: k0 &gt;= 3 AND NOT (…) AND arrayExists((x, ys) -&gt; arrayExists(y -&gt; y &gt; x AND y &lt;= x + W, ys), xa1, [xb1, xb1, …])
 *        AND person IN (SELECT resolved_person_id FROM persons_current …)&gt;
 * </pre>
 * A rolling window ({@code "window": "7d"}) starts where the engine's does ({@link Window#startMs}: epoch-aligned
 * buckets), so a realtime segment and a cohort with the same rule agree at the same instant.
 * "The last D days" of a condition ({@code "days": D}) is {@code [start of the local day D−1 days before today, ∞)} in the
 * evaluation zone, where today is the local date of the evaluation instant ({@link #windowStart}); the start is
 * written as an epoch-millisecond literal, so DST and zones are settled in Java.
 *
 * <p><b>Static</b> ({@link #materialized}): the members of the highest committed version in
 * {@code cohort_members}, each resolved through today's identity links.
 */
public final class CohortSql {
    private CohortSql() {
    }

    /** Start of "the last {@code days} days" at {@code now} in {@code zone}: local midnight of today − (days − 1). */
    public static Instant windowStart(Instant now, ZoneId zone, int days) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return today.minusDays(days - 1L).atStartOfDay(zone).toInstant();
    }

    public static String dynamic(String projectId, Rule rule, Instant now, ZoneId zone) {
        Builder b = new Builder(projectId, now, zone);
        String where = b.expr(rule);
        List<String> aggregates = new ArrayList<>(b.aggregates);
        if (aggregates.isEmpty()) {
            aggregates.add("count() AS n");
        }
        List<String> cols = new ArrayList<>();
        cols.add("event_time_ms AS t");
        cols.addAll(b.flags);
        return "SELECT person FROM (\n SELECT person, " + String.join(", ", aggregates) + "\n FROM (\n  SELECT "
                + String.join(", ", cols) + ", " + EventSource.PERSON + " AS person\n  FROM events FINAL\n  WHERE project_id = "
                + SqlLiterals.string(projectId) + "\n )\n GROUP BY person\n)\nWHERE " + where;
    }

    public static String materialized(String projectId, String cohortId) {
        String p = SqlLiterals.string(projectId);
        String c = SqlLiterals.string(cohortId);
        return "SELECT DISTINCT " + MigrationCatalog.resolvedPerson("person_id") + " AS person\nFROM " + MigrationCatalog.COHORT_MEMBERS
                + "\nWHERE project_id = " + p + " AND cohort_id = " + c + " AND person_id != ''"
                + " AND version = (SELECT max(version) FROM " + MigrationCatalog.COHORT_MEMBERS + " WHERE project_id = " + p
                + " AND cohort_id = " + c + " AND person_id = '')";
    }

    /** The committed version of a static cohort (0: never materialized). */
    public static String committedVersion(String projectId, String cohortId) {
        return "SELECT max(version) AS v FROM " + MigrationCatalog.COHORT_MEMBERS + " WHERE project_id = " + SqlLiterals.string(projectId)
                + " AND cohort_id = " + SqlLiterals.string(cohortId) + " AND person_id = ''";
    }

    private static final class Builder {
        final String projectId;
        final Instant now;
        final ZoneId zone;
        final List<String> flags = new ArrayList<>();
        final List<String> aggregates = new ArrayList<>();
        int next;
        boolean lastSeenAdded;

        Builder(String projectId, Instant now, ZoneId zone) {
            this.projectId = projectId;
            this.now = now;
            this.zone = zone;
        }

        /** The earliest event time {@code span} includes at the evaluation instant, as SQL (or null: no bound). */
        String from(Span span) {
            if (span instanceof Span.Days d) {
                return Long.toString(windowStart(now, zone, d.days()).toEpochMilli());
            }
            Window w = span.rolling();
            return w == Window.ALL ? null : Long.toString(w.startMs(now.toEpochMilli()));
        }

        String expr(Rule rule) {
            if (rule instanceof Rule.And a) {
                return join(a.rules(), " AND ");
            }
            if (rule instanceof Rule.Or o) {
                return join(o.rules(), " OR ");
            }
            if (rule instanceof Rule.Not n) {
                return "NOT (" + expr(n.rule()) + ")";
            }
            if (rule instanceof Rule.EventCount c) {
                return count(selector(c.events()), c.span()) + cmp(c.op()) + c.value();
            }
            if (rule instanceof Rule.Sequence s) {
                int i = next++;
                flags.add("toUInt8(" + selector(s.first()) + ") AS a" + i);
                flags.add("toUInt8(" + selector(s.then()) + ") AS b" + i);
                String inSpan = since(s.span());
                aggregates.add("groupArrayIf(t, a" + i + " = 1" + inSpan + ") AS xa" + i);
                aggregates.add("groupArrayIf(t, b" + i + " = 1" + inSpan + ") AS xb" + i);
                // 18.16 loses a subquery column referenced only inside a nested lambda ("Unknown identifier"), so the
                // then-times are handed to the outer lambda as an argument: one copy of xb per element of xa.
                return "arrayExists((x, ys) -> arrayExists(y -> y > x AND y <= x + " + s.within().toMillis() + ", ys), xa" + i
                        + ", arrayResize([xb" + i + "], length(xa" + i + "), xb" + i + "))";
            }
            if (rule instanceof Rule.LastSeenWithin l) {
                // the engine's rule: now − lastSeen < d, lastSeen = the latest event time of the person
                return lastSeen() + " > " + (now.toEpochMilli() - l.duration().toMillis());
            }
            if (rule instanceof Rule.NotSeenFor n) {
                return lastSeen() + " <= " + (now.toEpochMilli() - n.duration().toMillis());
            }
            if (rule instanceof Rule.TraitCondition t) {
                ObjectNode condition = JsonNodeFactory.instance.objectNode().put("op", t.op().wireName());
                if (t.value() != null) {
                    condition.set("value", t.value());
                }
                Filter f = CohortRules.personFilter(t.trait(), condition, "definition");
                return FilterSql.conditions(List.of(f), "person", projectId);
            }
            // RuleJson.parseHistory refuses scores and revenue (Evaluator), so no stored cohort holds one
            throw new IllegalArgumentException("cohorts cannot evaluate " + rule.getClass().getSimpleName());
        }

        private String selector(EventMatch m) {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            if (m.event() != null) {
                s.put("event", m.event());
            }
            s.set("filters", m.filters());
            return QueryParser.withoutCohorts(() -> QueryParser.parseSelector(s, "definition")).sql("person", projectId);
        }

        private static String cmp(Cmp op) {
            return switch (op) {
                case GTE -> " >= ";
                case GT -> " > ";
                case LTE -> " <= ";
                case LT -> " < ";
                case EQ -> " = ";
            };
        }

        private String since(Span span) {
            String from = from(span);
            return from == null ? "" : " AND t >= " + from;
        }

        private String lastSeen() {
            if (!lastSeenAdded) {
                aggregates.add("max(t) AS last_seen");
                lastSeenAdded = true;
            }
            return "last_seen";
        }

        private String count(String condition, Span span) {
            int i = next++;
            flags.add("toUInt8(" + condition + ") AS m" + i);
            aggregates.add("countIf(m" + i + " = 1" + since(span) + ") AS k" + i);
            return "k" + i;
        }

        private String join(List<Rule> rules, String op) {
            List<String> parts = new ArrayList<>();
            for (Rule r : rules) {
                parts.add("(" + expr(r) + ")");
            }
            return String.join(op, parts);
        }
    }
}
