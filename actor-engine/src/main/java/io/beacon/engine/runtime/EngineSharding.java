package io.beacon.engine.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocation;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocationStrategy;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Cluster sharding of the engine's two entity types with shard = Kafka partition. Shards are placed by pekko's
 * {@link ExternalShardAllocationStrategy}: the node that gets a partition from the Kafka consumer group
 * (after restoring it) calls {@link #claim} and the shard coordinator moves the partition's shard to it, so
 * messages for a user go to the node that owns the user's partition (the "Kafka to sharding" pattern).
 */
public final class EngineSharding {
    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final int partitions;
    private final ActorRef<ShardingEnvelope<UserEntity.Command>> userRegion;

    public EngineSharding(ActorSystem<?> system, int partitions, UserEntity.Deps deps) {
        this.system = system;
        this.partitions = partitions;
        this.sharding = ClusterSharding.get(system);
        Duration timeout = Duration.ofSeconds(5);
        this.userRegion = sharding.init(Entity.of(UserEntity.TYPE_KEY,
                        ctx -> UserEntity.create(ctx.getEntityId(), partitionOf(ctx.getEntityId()), deps, ctx.getShard()))
                .withMessageExtractor(new UserExtractor(partitions))
                .withAllocationStrategy(ExternalShardAllocationStrategy.create(system, UserEntity.TYPE_KEY.name(), timeout))
                .withStopMessage(new UserEntity.Stop()));
        sharding.init(Entity.of(PartitionIndex.TYPE_KEY,
                        ctx -> PartitionIndex.create(Integer.parseInt(ctx.getEntityId()), deps.stores()))
                .withMessageExtractor(new PartitionExtractor())
                .withAllocationStrategy(ExternalShardAllocationStrategy.create(system, PartitionIndex.TYPE_KEY.name(), timeout))
                .withStopMessage(new PartitionIndex.Stop()));
    }

    public int partitions() {
        return partitions;
    }

    public int partitionOf(String userKey) {
        return KafkaPartitioning.partition(userKey, partitions);
    }

    public EntityRef<UserEntity.Command> user(String userKey) {
        return sharding.entityRefFor(UserEntity.TYPE_KEY, userKey);
    }

    /** Sends {@code command} to user {@code userKey}'s entity through the local shard region (no EntityRef). */
    public void tellUser(String userKey, UserEntity.Command command) {
        userRegion.tell(new ShardingEnvelope<>(userKey, command));
    }

    /** Starts a system actor of this node's actor system (e.g. the collector of one round of entity replies). */
    public <T> ActorRef<T> spawnSystemActor(Behavior<T> behavior, String name) {
        return system.systemActorOf(behavior, name, Props.empty());
    }

    public EntityRef<PartitionIndex.Command> index(int partition) {
        return sharding.entityRefFor(PartitionIndex.TYPE_KEY, Integer.toString(partition));
    }

    /**
     * Records this node as the location of {@code owned} partitions' shards (both entity types) and waits
     * until the allocation is stored (replicated with pekko distributed data).
     */
    public void claim(Collection<Integer> owned, Duration timeout) throws Exception {
        if (owned.isEmpty()) {
            return;
        }
        Address self = Cluster.get(system).selfMember().address();
        Map<String, Address> locations = new HashMap<>();
        for (int p : owned) {
            locations.put(Integer.toString(p), self);
        }
        ExternalShardAllocation allocation = ExternalShardAllocation.get(system);
        CompletableFuture<?> users = allocation.getClient(UserEntity.TYPE_KEY.name()).setShardLocations(locations).toCompletableFuture();
        CompletableFuture<?> index = allocation.getClient(PartitionIndex.TYPE_KEY.name()).setShardLocations(locations).toCompletableFuture();
        CompletableFuture.allOf(users, index).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Envelope-based (what {@link EntityRef} sends), shard id = the Kafka partition of the entity id. */
    static final class UserExtractor extends ShardingMessageExtractor<ShardingEnvelope<UserEntity.Command>, UserEntity.Command> {
        private final int partitions;

        UserExtractor(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public String entityId(ShardingEnvelope<UserEntity.Command> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return Integer.toString(KafkaPartitioning.partition(entityId, partitions));
        }

        @Override
        public UserEntity.Command unwrapMessage(ShardingEnvelope<UserEntity.Command> envelope) {
            return envelope.message();
        }
    }

    /** The partition index's entity id is the partition number, and so is its shard id. */
    static final class PartitionExtractor extends ShardingMessageExtractor<ShardingEnvelope<PartitionIndex.Command>, PartitionIndex.Command> {
        @Override
        public String entityId(ShardingEnvelope<PartitionIndex.Command> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return entityId;
        }

        @Override
        public PartitionIndex.Command unwrapMessage(ShardingEnvelope<PartitionIndex.Command> envelope) {
            return envelope.message();
        }
    }
}
