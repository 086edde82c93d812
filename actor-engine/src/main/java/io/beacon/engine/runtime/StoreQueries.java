package io.beacon.engine.runtime;

import io.beacon.engine.store.MembersPage;
import io.beacon.engine.store.PartitionStore;

/** Reads of a partition store as the partition index answers them. */
final class StoreQueries {
    private StoreQueries() {
    }

    /** Up to {@code limit} members of the project's segment after {@code afterKey} ({@code ""} = from the start). */
    static PartitionIndex.Members members(PartitionStore store, String projectId, String segmentId, String afterKey, int limit) {
        MembersPage page = store.members(projectId, segmentId, afterKey == null || afterKey.isEmpty() ? null : afterKey, limit);
        return new PartitionIndex.Members(true, page.userKeys(), page.nextAfter() != null);
    }
}
