package io.beacon.engine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.state.EngineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine node: its own Pekko cluster actor system ({@code beacon-engine}), the sharded entity types, the
 * node-local partition stores and the consumer ({@link EngineRunner}). Start-up only wires.
 *
 * <p>Downing: Kafka's consumer group is the arbiter of who is alive. When this node is given partitions it
 * downs the cluster members that are unreachable at that moment (their partitions were taken from them, and
 * group-generation fencing already stops them from committing), so their shards can move here.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final String SYSTEM_NAME = "beacon-engine";

    private final EngineRuntimeSettings settings;
    private final ActorSystem<Void> system;
    private final PartitionStores stores;
    private final EngineSharding sharding;
    private final EngineRunner runner;
    private final EngineMetrics metrics;
    private final LongSupplier clock;

    private Engine(EngineRuntimeSettings settings, ActorSystem<Void> system, PartitionStores stores,
                   EngineSharding sharding, EngineRunner runner, EngineMetrics metrics, LongSupplier clock) {
        this.settings = settings;
        this.system = system;
        this.stores = stores;
        this.sharding = sharding;
        this.runner = runner;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts a node from the configuration with the wall clock, without scoring models. */
    public static Engine start(Config config, SegmentSource segments) {
        return start(config, segments, ScoringSource.NONE);
    }

    /** Starts a node from the configuration with the wall clock; {@code scoring} (e.g. a {@link ModelCatalog}) scores users. */
    public static Engine start(Config config, SegmentSource segments, ScoringSource scoring) {
        return start(config, EngineRuntimeSettings.fromConfig(config), segments, scoring, System::currentTimeMillis);
    }

    /** {@link #start(Config, EngineRuntimeSettings, SegmentSource, ScoringSource, LongSupplier)} without scoring models. */
    public static Engine start(Config config, EngineRuntimeSettings settings, SegmentSource segments, LongSupplier clock) {
        return start(config, settings, segments, ScoringSource.NONE, clock);
    }

    /** Starts a node from the configuration with the wall clock, scoring with {@code scoring} and running {@code journeys}. */
    public static Engine start(Config config, SegmentSource segments, ScoringSource scoring, JourneySource journeys) {
        return start(config, EngineRuntimeSettings.fromConfig(config), segments, scoring, journeys, System::currentTimeMillis);
    }

    /** {@link #start(Config, EngineRuntimeSettings, SegmentSource, ScoringSource, JourneySource, LongSupplier)} without journeys. */
    public static Engine start(Config config, EngineRuntimeSettings settings, SegmentSource segments, ScoringSource scoring,
                               LongSupplier clock) {
        return start(config, settings, segments, scoring, JourneySource.NONE, clock);
    }

    /**
     * Starts a node: creates the engine topics when missing, forms or joins the cluster (waits until this
     * member is Up), starts sharding and the consumer. Returns before partitions are assigned; see
     * {@link #readiness()}.
     *
     * @param journeys the journeys the users run; their sends go to {@link EngineRuntimeSettings#outboxTopic()}, which
     *                 must exist (the connectors' topics) when any journey is live
     * @param clock "now" for segment evaluation and timers (tests advance it instead of waiting)
     */
    public static Engine start(Config config, EngineRuntimeSettings settings, SegmentSource segments, ScoringSource scoring,
                               JourneySource journeys, LongSupplier clock) {
        int partitions = EngineTopics.createIfMissing(settings);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, systemConfig(config, settings));
        try {
            joinCluster(system, settings);
            EngineMetrics metrics = new EngineMetrics();
            PartitionStores stores = new PartitionStores(settings.stateDir());
            UserEntity.Deps deps = new UserEntity.Deps(stores, segments, EngineSettings.fromConfig(config), settings.passivationIdle(),
                    scoring, ScoringSettings.fromConfig(config), journeys);
            EngineSharding sharding = new EngineSharding(system, partitions, deps);
            EngineRunner runner = new EngineRunner(settings, sharding, stores, clock, metrics, () -> downUnreachable(system));
            runner.start();
            LOG.info("engine node {} started: cluster member {}, {} partitions of {}", settings.nodeId(),
                    Cluster.get(system).selfMember().address(), partitions, settings.eventsTopic());
            return new Engine(settings, system, stores, sharding, runner, metrics, clock);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static Config systemConfig(Config config, EngineRuntimeSettings settings) {
        Map<String, Object> m = new HashMap<>();
        m.put("pekko.actor.provider", "cluster");
        m.put("pekko.remote.artery.canonical.hostname", settings.clusterHost());
        m.put("pekko.remote.artery.canonical.port", settings.clusterPort());
        m.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
        // shards follow partitions quickly once a node claims them
        m.put("pekko.cluster.sharding.rebalance-interval", "1s");
        // entities passivate themselves after beacon.engine.passivation-idle
        m.put("pekko.cluster.sharding.passivation.strategy", "none");
        m.put("pekko.coordinated-shutdown.exit-jvm", "off");
        m.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        m.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
        m.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
        m.put("pekko.loglevel", "INFO");
        return ConfigFactory.parseMap(m).withFallback(config);
    }

    private static void joinCluster(ActorSystem<Void> system, EngineRuntimeSettings settings) {
        Cluster cluster = Cluster.get(system);
        List<Address> seeds = new ArrayList<>();
        for (String hostPort : settings.seedNodes()) {
            seeds.add(AddressFromURIString.parse("pekko://" + SYSTEM_NAME + "@" + hostPort));
        }
        if (seeds.isEmpty()) {
            seeds.add(cluster.selfMember().address());
        }
        cluster.manager().tell(new JoinSeedNodes(seeds));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("engine node did not join the cluster " + seeds + " within 60 s");
            }
            try {
                Thread.sleep(50); // poll the membership with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted joining the cluster", e);
            }
        }
    }

    private static void downUnreachable(ActorSystem<Void> system) {
        Cluster cluster = Cluster.get(system);
        cluster.state().getUnreachable().forEach(m -> {
            LOG.warn("downing unreachable engine node {}: the consumer group gave its partitions away", m.address());
            cluster.manager().tell(new Down(m.address()));
        });
    }

    public EngineRuntimeSettings settings() {
        return settings;
    }

    public EngineSharding sharding() {
        return sharding;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /** "now" of this node (the injected clock). */
    public long nowMs() {
        return clock.getAsLong();
    }

    /**
     * The ids of the (still defined) segments person {@code personId} of {@code projectId} is a member of, from
     * any node: cluster sharding routes the read to the entity on the owner of the user's partition. An unknown
     * person is in no segment (empty set; no state is created). Fails with {@link EngineUnavailableException}
     * while the partition is restored or moved, and with a {@link java.util.concurrent.TimeoutException} after
     * {@code timeout}.
     */
    public CompletionStage<Set<String>> segmentsOf(String projectId, String personId, Duration timeout) {
        String key = projectId + ":" + personId;
        return sharding.user(key)
                .<UserEntity.Segments>ask(UserEntity.GetSegments::new, timeout)
                .thenApply(s -> switch (s.status()) {
                    case OK, NOT_FOUND -> s.ids();
                    case NOT_OWNED, STALE -> throw new EngineUnavailableException("the partition of user '" + personId
                            + "' is being restored or moved");
                });
    }

    /** "ok" when consuming; otherwise why not (restoring, waiting for partitions, failed). */
    public String readiness() {
        return runner.readiness();
    }

    public boolean isRunning() {
        return runner.isRunning();
    }

    public Set<Integer> ownedPartitions() {
        return runner.ownedPartitions();
    }

    /** The cluster address of this node ({@code host:port}), to give other nodes as a seed. */
    public String clusterAddress() {
        Address a = Cluster.get(system).selfMember().address();
        return a.getHost().get() + ":" + a.getPort().get();
    }

    /** Finishes the batch in flight, leaves the group and the cluster. */
    @Override
    public void close() {
        runner.close();
        terminate();
    }

    /** Stops without finishing the batch in flight (nothing more committed), then terminates the actor system. */
    public void closeAbruptly() {
        runner.closeAbruptly();
        terminate();
    }

    private void terminate() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("engine actor system did not terminate in time", e);
        }
        stores.close();
    }

    static Duration askTimeout(EngineRuntimeSettings s) {
        return s.askTimeout();
    }
}
