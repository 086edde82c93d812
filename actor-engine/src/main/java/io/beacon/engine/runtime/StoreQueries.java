package io.beacon.engine.runtime;

import io.beacon.engine.store.MembersPage;
import io.beacon.engine.store.PartitionStore;
import java.util.ArrayList;
import java.util.List;

/** Reads of a partition store as the partition index answers them. */
final class StoreQueries {
    private StoreQueries() {
    }

    /**
     * Up to {@code limit} members of {@code segmentId} whose user key starts with {@code keyPrefix}, after
     * {@code afterKey}. The index is ordered by user key, so one project's members are contiguous.
     */
    static PartitionIndex.Members members(PartitionStore store, String segmentId, String keyPrefix, String afterKey, int limit) {
        String after = afterKey == null || afterKey.compareTo(keyPrefix) < 0 ? keyPrefix : afterKey;
        MembersPage page = store.members(segmentId, after, limit + 1);
        List<String> keys = new ArrayList<>(limit);
        boolean more = false;
        for (String k : page.userKeys()) {
            if (!k.startsWith(keyPrefix)) {
                break;
            }
            if (keys.size() == limit) {
                more = true;
                break;
            }
            keys.add(k);
        }
        if (!more && keys.size() == limit && page.nextAfter() != null) {
            // the page was full: whether another member of the project follows needs one more look
            MembersPage next = store.members(segmentId, keys.get(keys.size() - 1), 1);
            more = !next.userKeys().isEmpty() && next.userKeys().get(0).startsWith(keyPrefix);
        }
        return new PartitionIndex.Members(true, keys, more);
    }
}
