package io.beacon.streams.validate;

import io.beacon.control.registry.RegistryView;
import io.beacon.control.registry.ValidationResult;
import io.beacon.control.registry.Violation;
import io.beacon.control.registry.ViolationCode;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.event.RejectionCode;
import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.ingest.RecordSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validate stage's pure core: one mapped event checked against its project's registry
 * ({@link RegistryRules}), ending as an event safe for {@code beacon.events.valid} or as a dead letter.
 *
 * <h2>Which events are governed</h2>
 * Track events always are. Identify, page, screen, group and alias calls (stored as {@code $identify},
 * {@code $pageview}, …) are protocol calls, not tracking-plan events: they are validated only when the
 * project registered their implicit name (so a strict project does not dead-letter every identify because
 * nobody registered {@code $identify}, yet can govern {@code $pageview} by defining it). Ungoverned calls
 * still get the PII rules.
 *
 * <h2>Outcome</h2>
 * <ul>
 *   <li>{@code REJECT} → {@link DeadLetter} with the first error's code (the {@link RejectionCode} of the
 *       same name), field and message, stage {@value #STAGE}, the source coordinates and the record's
 *       original bytes. Those bytes are the raw payload, PII included: the DLQ is the one place raw PII can
 *       sit (30 days' retention, never loaded into ClickHouse; restrict who may read it).</li>
 *   <li>otherwise → the event with the coerced, PII-transformed properties, PII-transformed traits, the
 *       page columns transformed when {@code url}/{@code title}/{@code path}/{@code referrer} are PII-classed
 *       (the mapper copies them out of the properties), and the warning tags ({@code CODE:field}) appended
 *       to its warnings.</li>
 * </ul>
 */
public final class EventValidation {
    /** Stage name written to {@link DeadLetter#stage()} for registry rejections. */
    public static final String STAGE = "validate";

    private EventValidation() {
    }

    /** Whether {@code event} is checked against the tracking plan (see the class documentation). */
    public static boolean isGoverned(Event event, RegistryView registry) {
        return event.type() == EventType.TRACK || registry.event(event.eventName()).isPresent();
    }

    /**
     * @param event    the mapped event
     * @param original the raw record's value, for a dead letter
     * @param source   where the raw record was read from
     * @param failedAt the time to stamp on a dead letter, epoch ms
     */
    public static IngestResult validate(Event event, byte[] original, RegistryRules rules, RecordSource source, long failedAt) {
        String project = event.projectId();
        RegistryView registry = rules.registry(project);
        Event checked;
        if (isGoverned(event, registry)) {
            ValidationResult result = rules.enforce(project, event.eventName(), event.properties());
            if (result.rejected()) {
                Violation error = result.firstError().orElseThrow();
                return new IngestResult.Refused(new DeadLetter(rejectionCode(error.code()), error.message(), error.field(),
                        STAGE, project, event.eventId(), source.topic(), source.partition(), source.offset(), failedAt, original));
            }
            checked = event.withProperties(result.properties());
            List<String> tags = result.warningTags();
            if (!tags.isEmpty()) {
                List<String> warnings = new ArrayList<>(event.warnings());
                warnings.addAll(tags);
                checked = checked.withWarnings(warnings);
            }
        } else {
            checked = event.withProperties(rules.protect(project, event.properties()));
        }
        if (registry.hasPii()) {
            checked = protectPageFields(checked.withTraits(rules.protect(project, checked.traits())), rules);
        }
        return new IngestResult.Accepted(checked, original);
    }

    /** The dead-letter code of a registry error: the {@link RejectionCode} of the same name. */
    public static RejectionCode rejectionCode(ViolationCode code) {
        return switch (code) {
            case UNKNOWN_EVENT -> RejectionCode.UNKNOWN_EVENT;
            case UNKNOWN_PROPERTY -> RejectionCode.UNKNOWN_PROPERTY;
            case TYPE_MISMATCH -> RejectionCode.TYPE_MISMATCH;
            case MISSING_REQUIRED -> RejectionCode.MISSING_REQUIRED;
            case ENUM_VIOLATION -> RejectionCode.ENUM_VIOLATION;
            case BLOCKED_EVENT -> RejectionCode.BLOCKED_EVENT;
            // a warning-only code: never the reason of a rejection
            case DEPRECATED_EVENT -> throw new IllegalArgumentException("DEPRECATED_EVENT never rejects an event");
        };
    }

    /**
     * The mapper fills the page columns from {@code properties.url/title/path/referrer} (or the page
     * context); when the registry classes one of those names as PII, the column gets the same treatment.
     */
    private static Event protectPageFields(Event event, RegistryRules rules) {
        if (event.pageUrl() == null && event.pageTitle() == null && event.pagePath() == null && event.referrer() == null) {
            return event;
        }
        Map<String, Object> page = new LinkedHashMap<>();
        putIfPresent(page, "url", event.pageUrl());
        putIfPresent(page, "title", event.pageTitle());
        putIfPresent(page, "path", event.pagePath());
        putIfPresent(page, "referrer", event.referrer());
        Map<String, Object> safe = rules.protect(event.projectId(), page);
        if (safe == page || safe.equals(page)) {
            return event;
        }
        return event.withPageFields(text(safe.get("url")), text(safe.get("title")), text(safe.get("path")),
                text(safe.get("referrer")));
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
