package io.beacon.abtest.assignment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigJson;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConflictException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Sticky assignments as config-store documents: kind {@value #KIND}, id
 * {@code <attribute>||<value>} (GrowthBook's document id), value {@code {"attribute_name",
 * "attribute_value","assignments":{"<experiment>__<bucketVersion>":"<variation key>"}}}.
 *
 * <p>Not the production store any more: every first assignment became a {@code beacon.config} write with
 * a read-your-writes round trip, which the assignment API's load could not afford (the config topic is
 * for definitions). Sticky documents live on their own compacted topic ({@code adapters.KafkaStickyBuckets});
 * the platform copies documents of this kind over at start; this adapter remains for
 * single-process set-ups and as the reader of that older data.
 *
 * <p>A conflicting concurrent write (two nodes bucketing the same unit) is retried once on the newer
 * version, merging the assignments.
 */
public final class ConfigStoreStickyBuckets implements StickyBucketStore {
    public static final String KIND = "sticky-bucket";

    private final ConfigStore store;

    public ConfigStoreStickyBuckets(ConfigStore store) {
        this.store = store;
    }

    @Override
    public Optional<StickyBucketDoc> get(String project, String attributeName, String attributeValue) {
        return store.get(key(project, StickyBucketDoc.id(attributeName, attributeValue))).map(ConfigStoreStickyBuckets::decode);
    }

    @Override
    public CompletionStage<Void> save(String project, StickyBucketDoc doc) {
        return save(project, doc, 1);
    }

    private CompletionStage<Void> save(String project, StickyBucketDoc doc, int retries) {
        ConfigKey key = key(project, doc.id());
        Optional<ConfigEntry> current = store.get(key);
        StickyBucketDoc merged = current.map(e -> decode(e).with(doc.assignments())).orElse(doc);
        if (current.isPresent() && decode(current.get()).assignments().equals(merged.assignments())) {
            return CompletableFuture.completedFuture(null);
        }
        ObjectNode json = ConfigJson.toDocument(merged);
        return store.putAsync(key, json, current.map(ConfigEntry::version).orElse(0L))
                .<CompletionStage<Void>>handle((entry, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof ConflictException && retries > 0) {
                        return save(project, doc, retries - 1);
                    }
                    return CompletableFuture.failedFuture(cause);
                })
                .thenCompose(x -> x);
    }

    private static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    private static StickyBucketDoc decode(ConfigEntry entry) {
        return entry.as(StickyBucketDoc.class);
    }
}
