package io.beacon.cdp.audience;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The port through which a resync reads a segment's current members: the connectors do not depend on the engine,
 * the node that runs both implements this with the engine's members index. Pages are read one at a time, so a
 * large segment is never held in memory whole.
 */
public interface AudienceMembers {

    /**
     * Up to {@code limit} person ids of the project's segment after {@code cursor} ({@code null} = from the start).
     * Blocks until the page is read.
     *
     * @throws AudienceUnavailableException when the members cannot be read now (a partition is being restored or
     *                                      moved, the engine did not answer)
     */
    Page page(String projectId, String segmentId, String cursor, int limit);

    /**
     * One page of members.
     *
     * @param personIds  the members, in the index's order
     * @param nextCursor where the next page starts, {@code null} on the last page
     */
    record Page(List<String> personIds, String nextCursor) {
        public Page {
            personIds = List.copyOf(personIds);
        }
    }

    /** Every member of the segment, read lazily {@code pageSize} at a time. */
    default Iterator<String> members(String projectId, String segmentId, int pageSize) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(segmentId, "segmentId");
        return new Iterator<>() {
            private List<String> buffer = new ArrayList<>();
            private int next;
            private String cursor;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (next >= buffer.size() && !last) {
                    Page p = page(projectId, segmentId, cursor, pageSize);
                    buffer = p.personIds();
                    next = 0;
                    cursor = p.nextCursor();
                    last = cursor == null;
                }
                return next < buffer.size();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return buffer.get(next++);
            }
        };
    }
}
