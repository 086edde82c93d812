package io.beacon.abtest.assignment;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where sticky assignments live, per project and unit. Reads must be fast and non-blocking (they are on
 * the assignment path); writes are asynchronous and may be lost without breaking correctness as long as
 * the experiment's configuration does not change meanwhile, because the hash gives the same answer
 * again. Implementations: {@code adapters.KafkaStickyBuckets} (production: a dedicated compacted
 * topic materialized in memory on every node), {@link ConfigStoreStickyBuckets} (config-store documents,
 * how earlier versions stored them; the platform copies those over at start) and
 * {@link InMemoryStickyBucketStore} (tests, single process).
 */
public interface StickyBucketStore {

    Optional<StickyBucketDoc> get(String project, String attributeName, String attributeValue);

    /** Merges {@code doc}'s assignments into the stored document of the same unit. */
    CompletionStage<Void> save(String project, StickyBucketDoc doc);
}
