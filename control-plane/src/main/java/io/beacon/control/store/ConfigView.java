package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The materialized state of the config topic and the conflict rule (see the {@code store} package
 * documentation). Pure: records go in, outcomes come out ({@link #step} is the rule alone). One thread
 * applies records; any thread may read.
 */
final class ConfigView {
    /** Field of the value holding the version. */
    public static final String VERSION = "version";
    /** Field of a deletion marker. */
    public static final String DELETED = "deleted";

    /**
     * What the view holds for a key.
     *
     * @param version       the accepted version (also for a deleted key whose tombstone is not read yet)
     * @param entry         the visible entry, {@code null} after a deletion marker
     * @param acceptedValue the value of the accepted record, to recognize repair records
     * @param lastAgrees    whether the last record read for the key states the current state
     */
    public record Slot(long version, ConfigEntry entry, JsonNode acceptedValue, boolean lastAgrees) {
        public Optional<ConfigEntry> visible() {
            return Optional.ofNullable(entry);
        }

        /** The visible version: 0 when deleted. What {@code expectedVersion} is checked against. */
        public long visibleVersion() {
            return entry == null ? 0 : version;
        }
    }

    /**
     * One record applied to a key.
     *
     * @param slot    what the view holds for the key afterwards, {@code null} when nothing
     * @param outcome what the record did
     */
    public record Step(Slot slot, Outcome outcome) {
    }

    /** The result of applying one record. */
    public sealed interface Outcome {
        /** The record became the current state; {@code change} is empty when nothing visible changed. */
        record Applied(Optional<Change> change, Optional<ConfigEntry> current) implements Outcome {
        }

        /** The record lost: another record with its base version came first. */
        record Ignored(long recordVersion, long heldVersion, Optional<ConfigEntry> current) implements Outcome {
        }

        /** The value is not a config document (not a JSON object with a positive {@code version}). */
        record Malformed(String reason) implements Outcome {
        }
    }

    private final Map<ConfigKey, Slot> slots;

    /** A view holding its own slots, changed by {@link #apply}. */
    public ConfigView() {
        this(new ConcurrentHashMap<>());
    }

    private ConfigView(Map<ConfigKey, Slot> slots) {
        this.slots = slots;
    }

    /**
     * The queries of a view over slots kept elsewhere (the Kafka store's topic view folds records with
     * {@link #step}); {@link #apply} is not available on it.
     */
    public static ConfigView over(Map<ConfigKey, Slot> slots) {
        return new ConfigView(slots);
    }

    /** Applies the next record of {@code key}; {@code value == null} is a tombstone. */
    public Outcome apply(ConfigKey key, JsonNode value) {
        Step step = step(key, slots.get(key), value);
        if (step.slot() == null) {
            slots.remove(key);
        } else {
            slots.put(key, step.slot());
        }
        return step.outcome();
    }

    /** The conflict rule: what the view holds for {@code key} after its next record, {@code held} before it. */
    public static Step step(ConfigKey key, Slot held, JsonNode value) {
        Optional<ConfigEntry> previous = held == null ? Optional.empty() : held.visible();
        if (value == null) {
            Optional<Change> change = previous.map(p -> new Change(key, previous, Optional.empty()));
            return new Step(null, new Outcome.Applied(change, Optional.empty()));
        }
        JsonNode versionNode = value.get(VERSION);
        if (!value.isObject() || versionNode == null || !versionNode.canConvertToExactIntegral() || versionNode.asLong() < 1) {
            Slot kept = held == null ? null : new Slot(held.version(), held.entry(), held.acceptedValue(), false);
            return new Step(kept, new Outcome.Malformed("value is not a JSON object with a positive integer 'version'"));
        }
        long version = versionNode.asLong();
        if (held != null && version != held.version() + 1) {
            boolean repair = version == held.version() && value.equals(held.acceptedValue());
            return new Step(new Slot(held.version(), held.entry(), held.acceptedValue(), repair),
                    new Outcome.Ignored(version, held.version(), previous));
        }
        boolean deleted = value.path(DELETED).asBoolean(false);
        ConfigEntry current = deleted ? null : new ConfigEntry(key, version, value);
        Optional<ConfigEntry> now = Optional.ofNullable(current);
        Optional<Change> change = previous.isEmpty() && now.isEmpty()
                ? Optional.empty()
                : Optional.of(new Change(key, previous, now));
        return new Step(new Slot(version, current, value, true), new Outcome.Applied(change, now));
    }

    public Optional<ConfigEntry> get(ConfigKey key) {
        Slot slot = slots.get(key);
        return slot == null ? Optional.empty() : slot.visible();
    }

    /** The visible version: 0 when absent or deleted. What {@code expectedVersion} is checked against. */
    public long visibleVersion(ConfigKey key) {
        Slot slot = slots.get(key);
        return slot == null ? 0 : slot.visibleVersion();
    }

    /** The version the next write of {@code key} must carry. */
    public long nextVersion(ConfigKey key) {
        return nextVersion(slots.get(key));
    }

    /** The version the next write of a key holding {@code slot} ({@code null}: nothing) must carry. */
    public static long nextVersion(Slot slot) {
        return slot == null ? 1 : slot.version() + 1;
    }

    /**
     * Whether the last record read for {@code key} does not state its current state, so that
     * compaction (which keeps only the last record) would change what a fresh view sees.
     */
    public boolean needsRepair(ConfigKey key) {
        Slot slot = slots.get(key);
        return slot != null && !slot.lastAgrees();
    }

    /**
     * The record value that re-states the current state of {@code key}: the accepted value, or
     * {@code null} (a tombstone) when the key is deleted.
     */
    public JsonNode repairValue(ConfigKey key) {
        Slot slot = slots.get(key);
        return slot == null || slot.entry() == null ? null : slot.acceptedValue();
    }

    public List<ConfigEntry> list(String kind, String project) {
        List<ConfigEntry> out = new ArrayList<>();
        for (Slot slot : slots.values()) {
            ConfigEntry e = slot.entry();
            if (e != null && e.key().kind().equals(kind) && (project == null || e.key().project().equals(project))) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((ConfigEntry e) -> e.key().project()).thenComparing(e -> e.key().id()));
        return out;
    }

    /** Every visible entry, for snapshots and tests. */
    public List<ConfigEntry> all() {
        List<ConfigEntry> out = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.entry() != null) {
                out.add(slot.entry());
            }
        }
        out.sort(Comparator.comparing((ConfigEntry e) -> e.key().asString()));
        return out;
    }

    /** The value a write of {@code document} at {@code version} is stored as. */
    public static ObjectNode versioned(JsonNode document, long version) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("a config document is a JSON object");
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put(VERSION, version);
        document.fields().forEachRemaining(f -> {
            if (!f.getKey().equals(VERSION) && !f.getKey().equals(DELETED)) {
                value.set(f.getKey(), f.getValue().deepCopy());
            }
        });
        return value;
    }

    /** The deletion marker at {@code version}. */
    public static ObjectNode deletionMarker(long version) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put(VERSION, version);
        value.put(DELETED, true);
        return value;
    }
}
