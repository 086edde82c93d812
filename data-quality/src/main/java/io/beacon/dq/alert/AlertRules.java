package io.beacon.dq.alert;

import io.beacon.dq.DqAlert;
import io.beacon.dq.anomaly.VolumeAnomaly;
import io.beacon.dq.loss.LossReport;
import io.beacon.dq.reconcile.Reconciliation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Which findings become alerts, and how they read (pure). */
public final class AlertRules {
    private AlertRules() {
    }

    /** A loss alert for each complete window whose rate is over the threshold. */
    public static List<DqAlert> loss(String project, List<LossReport.Hour> windows, double threshold) {
        List<DqAlert> out = new ArrayList<>();
        for (LossReport.Hour h : windows) {
            if (!h.alert()) {
                continue;
            }
            Map<String, String> d = new LinkedHashMap<>();
            d.put("accepted", Long.toString(h.totals().accepted()));
            d.put("dead_lettered", Long.toString(h.totals().deadLettered()));
            d.put("duplicates", Long.toString(h.totals().duplicates()));
            d.put("stored", Long.toString(h.totals().stored()));
            d.put("lost", Long.toString(h.lost()));
            out.add(new DqAlert(project, "loss", "*", h.totals().hourMs(), h.rate() > 10 * threshold ? "critical" : "warning",
                    h.rate(), threshold, String.format(Locale.ROOT, "%d of %d accepted events (%.3f %%) did not reach ClickHouse",
                    h.lost(), h.totals().accepted(), h.rate() * 100), d));
        }
        return out;
    }

    /** The reconciliation's alert: ids missing end to end, or a realtime figure off its recomputation. */
    public static Optional<DqAlert> reconciliation(String project, long windowMs, Reconciliation r, double threshold) {
        if (!r.alert(threshold)) {
            return Optional.empty();
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("accepted_ids", Long.toString(r.acceptedIds()));
        d.put("missing", Long.toString(r.missing()));
        d.put("missing_sample", String.join(",", r.missingSample()));
        d.put("counter_records", Long.toString(r.counterRecords()));
        d.put("raw_records", Long.toString(r.acceptedRecords()));
        d.put("stored_users", Long.toString(r.storedUsers()));
        d.put("raw_users", Long.toString(r.rawUsers()));
        double worst = Math.max(r.counterDiff(), r.usersDiff());
        String message = r.missing() > 0
                ? r.missing() + " accepted event ids are neither in ClickHouse nor dead-lettered (e.g. " + String.join(", ", r.missingSample().subList(0, Math.min(3, r.missingSample().size()))) + ")"
                : String.format(Locale.ROOT, "realtime figures differ from the raw topic by %.2f %% (events counted %d vs %d, users %d vs %d)",
                        worst * 100, r.counterRecords(), r.acceptedRecords(), r.storedUsers(), r.rawUsers());
        return Optional.of(new DqAlert(project, "accuracy", "*", windowMs, r.missing() > 0 ? "critical" : "warning",
                r.missing() > 0 ? r.missing() : worst, r.missing() > 0 ? 0 : threshold, message, d));
    }

    /** A volume alert per anomaly of an event's hourly accepted count. */
    public static List<DqAlert> volume(String project, String eventName, List<VolumeAnomaly> anomalies, double sensitivity) {
        List<DqAlert> out = new ArrayList<>();
        for (VolumeAnomaly a : anomalies) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("observed", Long.toString(a.observed()));
            d.put("expected", String.format(Locale.ROOT, "%.1f", a.expected()));
            d.put("lower", String.format(Locale.ROOT, "%.1f", a.lower()));
            d.put("upper", String.format(Locale.ROOT, "%.1f", a.upper()));
            d.put("direction", a.direction().name().toLowerCase(Locale.ROOT));
            out.add(new DqAlert(project, "volume", eventName, a.hourMs(), "warning", a.score(), sensitivity,
                    String.format(Locale.ROOT, "%s: %d events in the hour, expected about %.0f (a %s)", eventName, a.observed(),
                            a.expected(), a.direction() == VolumeAnomaly.Direction.DROP ? "drop" : "spike"), d));
        }
        return out;
    }
}
