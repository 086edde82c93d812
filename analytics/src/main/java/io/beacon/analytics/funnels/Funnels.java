package io.beacon.analytics.funnels;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs a funnel: the summary statement, plus the persons statement when asked. */
public final class Funnels {
    private Funnels() {
    }

    public static FunnelResult run(String projectId, InsightQuery.Funnel q, SqlRunner runner) {
        long start = System.nanoTime();
        Timed timed = new Timed(runner);
        List<String> top = new ArrayList<>();
        if (q.breakdown() != null) {
            timed.run(FunnelSql.topBreakdownValues(projectId, q)).rows().forEach(row -> top.add(row.get(0)));
        }
        QueryResult r = timed.run(FunnelSql.summary(projectId, q, top));
        int n = q.steps().size();
        List<FunnelResult.Group> groups = new ArrayList<>();
        for (Map<String, String> row : r.asMaps()) {
            List<FunnelResult.Step> steps = new ArrayList<>();
            long first = Long.parseLong(row.get("c1"));
            long prev = first;
            for (int k = 1; k <= n; k++) {
                long c = Long.parseLong(row.get("c" + k));
                boolean timed2 = k > 1 && q.order() != InsightQuery.FunnelOrder.UNORDERED && c > 0;
                steps.add(new FunnelResult.Step(k, q.steps().get(k - 1).event(), c,
                        first == 0 ? 0 : (double) c / first, prev == 0 ? 0 : (double) c / prev, prev - c,
                        timed2 ? number(row.get("avg" + k)) : null, timed2 ? number(row.get("med" + k)) : null));
                prev = c;
            }
            groups.add(new FunnelResult.Group(q.breakdown() == null ? null : row.get("bdv"), steps));
        }
        if (groups.isEmpty() && q.breakdown() == null) {
            List<FunnelResult.Step> steps = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                steps.add(new FunnelResult.Step(k, q.steps().get(k - 1).event(), 0, 0, 0, 0, null, null));
            }
            groups.add(new FunnelResult.Group(null, steps));
        }
        List<String> persons = null;
        if (q.persons() != null) {
            persons = new ArrayList<>();
            for (List<String> row : timed.run(FunnelSql.persons(projectId, q, q.persons())).rows()) {
                persons.add(row.get(0));
            }
        }
        return new FunnelResult("funnels", q.order().name().toLowerCase(Locale.ROOT), q.windowMillis(), groups, persons,
                timed.stats(), (System.nanoTime() - start) / 1_000_000);
    }

    private static Double number(String s) {
        return s == null || s.equals("nan") ? null : Double.parseDouble(s);
    }
}
