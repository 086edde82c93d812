package io.beacon.analytics.paths;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * A paths answer, Sankey-ready: {@code nodes} (index = id) and {@code links} between them. Every number is a
 * count of sessions.
 *
 * @param sessions sessions with an anchor (every counted path starts — or, with an end event, ends — at step 0)
 */
public record PathsResult(String analysis, String timezone, String eventTypes, String anchor, int depth, long sessions,
                          List<Node> nodes, List<Link> links, List<QueryStats> queries, long millis) {

    /**
     * @param id       the node's index in {@code nodes}
     * @param step     position relative to the anchor: 0 = anchor; start/no anchor: 1, 2, … after it; end: −1, −2, … before it
     * @param label    event name or cleaned URL / screen name
     * @param sessions sessions whose path has {@code label} at {@code step}
     * @param ended    of those, the sessions whose path ends there (start mode) or begins there (end mode)
     */
    public record Node(int id, int step, String label, long sessions, long ended) {
    }

    /**
     * @param source the node id at {@code step}
     * @param target the node id at {@code step + 1}
     * @param value  sessions whose path has the source label at {@code step} and the target label right after it
     */
    public record Link(int source, int target, int step, String sourceLabel, String targetLabel, long value) {
    }
}
