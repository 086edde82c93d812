package io.beacon.engine.runtime;

import io.beacon.engine.store.MembersPage;
import io.beacon.engine.store.PartitionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The read side of one partition's segment index: entity id = the partition number, sharded into the same
 * shard as that partition's users, so it runs on the node whose RocksDB holds the partition and answers
 * members pages and segment sizes for it. The HTTP API asks every partition's index and merges the answers,
 * which makes members and stats work on any node of the cluster.
 */
public final class PartitionIndex extends AbstractBehavior<PartitionIndex.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "beacon-partition-index");

    public sealed interface Command extends EngineMessage {
    }

    /** Up to {@code limit} members of the project's segment, after user key {@code afterKey} ({@code ""} = from the start). */
    public record ListMembers(String projectId, String segmentId, String afterKey, int limit,
                              ActorRef<Members> replyTo) implements Command {
    }

    /** The project's segment's current size in this partition and its hourly sizes up to {@code toMs}. */
    public record SegmentStats(String projectId, String segmentId, long toMs, ActorRef<Stats> replyTo) implements Command {
    }

    record Stop() implements Command {
    }

    /**
     * @param owned   false when this node has no open store of the partition (being restored or moved)
     * @param keys    members in key order
     * @param hasMore whether more members follow the last key
     */
    public record Members(boolean owned, List<String> keys, boolean hasMore) implements EngineMessage {
    }

    /** @param history hour start (epoch ms) → size at the end of that hour, for hours with a recorded size */
    public record Stats(boolean owned, long size, Map<Long, Long> history) implements EngineMessage {
    }

    private final int partition;
    private final PartitionStores stores;

    private PartitionIndex(ActorContext<Command> ctx, int partition, PartitionStores stores) {
        super(ctx);
        this.partition = partition;
        this.stores = stores;
    }

    public static Behavior<Command> create(int partition, PartitionStores stores) {
        return Behaviors.setup(ctx -> new PartitionIndex(ctx, partition, stores));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ListMembers.class, this::onListMembers)
                .onMessage(SegmentStats.class, this::onStats)
                .onMessage(Stop.class, m -> Behaviors.stopped())
                .build();
    }

    private Behavior<Command> onListMembers(ListMembers m) {
        Optional<PartitionStore> store = stores.get(partition);
        if (store.isEmpty()) {
            m.replyTo().tell(new Members(false, List.of(), false));
            return this;
        }
        try {
            String after = m.afterKey() == null || m.afterKey().isEmpty() ? null : m.afterKey();
            MembersPage page = store.get().members(m.projectId(), m.segmentId(), after, m.limit());
            m.replyTo().tell(new Members(true, page.userKeys(), page.nextAfter() != null));
        } catch (RuntimeException e) {
            getContext().getLog().debug("partition {} index not readable: {}", partition, e.toString());
            m.replyTo().tell(new Members(false, List.of(), false));
        }
        return this;
    }

    private Behavior<Command> onStats(SegmentStats m) {
        Optional<PartitionStore> store = stores.get(partition);
        if (store.isEmpty()) {
            m.replyTo().tell(new Stats(false, 0, Map.of()));
            return this;
        }
        try {
            SortedMap<Long, Long> history = new TreeMap<>(store.get().sizeHistory(m.projectId(), m.segmentId(), 0, m.toMs()));
            m.replyTo().tell(new Stats(true, store.get().segmentSize(m.projectId(), m.segmentId()), history));
        } catch (RuntimeException e) {
            getContext().getLog().debug("partition {} index not readable: {}", partition, e.toString());
            m.replyTo().tell(new Stats(false, 0, Map.of()));
        }
        return this;
    }
}
