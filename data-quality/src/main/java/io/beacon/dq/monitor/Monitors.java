package io.beacon.dq.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry-driven monitors and the ingestion warnings (pure): fill rates of the properties a registered event
 * lists, judged against a minimum (95 % by default), and warnings grouped per code and hour with a severity — one
 * row per code and hour however many events carry it (the debounce), like PostHog's ingestion warnings.
 */
public final class Monitors {
    private Monitors() {
    }

    /** How often one property of one registered event is present. */
    public record FillRate(String eventName, String property, boolean required, long events, long filled, double rate, boolean below) {
    }

    /** One warning code in one hour: how many events carried it, when first and last, one example event id. */
    public record Warning(String code, String field, String severity, long hourMs, long events, long firstMs, long lastMs,
                          String sampleEventId) {
    }

    /**
     * @param filled property → events carrying it
     * @param minimum the fill rate below which a property is flagged (0.95 by default)
     */
    public static List<FillRate> fillRates(String eventName, long events, List<String> required, List<String> optional,
                                           Map<String, Long> filled, double minimum) {
        List<FillRate> out = new ArrayList<>();
        for (String p : required) {
            out.add(rate(eventName, p, true, events, filled.getOrDefault(p, 0L), minimum));
        }
        for (String p : optional) {
            out.add(rate(eventName, p, false, events, filled.getOrDefault(p, 0L), minimum));
        }
        return out;
    }

    private static FillRate rate(String event, String p, boolean required, long events, long filled, double minimum) {
        double r = events == 0 ? 1.0 : (double) filled / events;
        return new FillRate(event, p, required, events, filled, r, events > 0 && r < minimum);
    }

    /**
     * The warning of an event's warning tag ({@code CODE:field} from the registry, or a plain tag such as
     * {@code identity_merge_refused}): dead letters are errors, clock and identity problems warnings, registry
     * findings in permissive mode information.
     */
    public static Warning warning(String tag, long hourMs, long events, long firstMs, long lastMs, String sample) {
        int colon = tag.indexOf(':');
        String code = colon < 0 ? tag : tag.substring(0, colon);
        String field = colon < 0 ? "" : tag.substring(colon + 1);
        return new Warning(code, field, severity(code), hourMs, events, firstMs, lastMs, sample);
    }

    /**
     * {@code info} for the registry's permissive findings ({@code UNKNOWN_EVENT}, {@code UNKNOWN_PROPERTY},
     * {@code DEPRECATED_EVENT}), else {@code warning} (clock skew clamped, late or too old, identity merge refused,
     * session problems). Dead letters are reported as {@code error} by the caller.
     */
    public static String severity(String code) {
        String c = code.toUpperCase(Locale.ROOT);
        return c.startsWith("UNKNOWN_") || c.equals("DEPRECATED_EVENT") ? "info" : "warning";
    }

    /** A dead letter code in an hour, as a warning of severity {@code error}. */
    public static Warning deadLetters(String code, long hourMs, long events) {
        return new Warning(code, "", "error", hourMs, events, hourMs, hourMs, "");
    }
}
