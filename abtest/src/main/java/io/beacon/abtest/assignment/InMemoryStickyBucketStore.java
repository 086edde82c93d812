package io.beacon.abtest.assignment;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link StickyBucketStore} in a map, for tests and benchmarks. */
public final class InMemoryStickyBucketStore implements StickyBucketStore {
    private final Map<String, StickyBucketDoc> docs = new ConcurrentHashMap<>();

    @Override
    public Optional<StickyBucketDoc> get(String project, String attributeName, String attributeValue) {
        return Optional.ofNullable(docs.get(project + "/" + StickyBucketDoc.id(attributeName, attributeValue)));
    }

    @Override
    public CompletionStage<Void> save(String project, StickyBucketDoc doc) {
        docs.merge(project + "/" + doc.id(), doc, (old, add) -> old.with(add.assignments()));
        return CompletableFuture.completedFuture(null);
    }

    public int size() {
        return docs.size();
    }
}
