package io.beacon.engine.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.scoring.ActiveModels;
import io.beacon.engine.scoring.ScoreNames;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.scoring.UserScoring;
import io.beacon.engine.segments.SegmentMembership;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.Score;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.engine.state.UserStateFeatures;
import io.beacon.engine.store.PartitionStore;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.ScoreChangeCodec;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.feature.FeatureExtractor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One user's realtime state: the entity of {@code project:person} (the key of {@code beacon.events.valid}),
 * sharded by the Kafka partition of that key so it lives on the node consuming the user's events.
 *
 * <p>On its first message the entity loads the user's state from the node-local {@link PartitionStore} of its
 * partition (or starts empty). {@link Apply} applies events in offset order ({@link UserState#apply} skips
 * offsets already applied, so a replay never double-counts) and re-evaluates the project's segments after
 * each; {@link Tick} re-evaluates on time alone. After the events of an {@link Apply}, and on a {@link Tick} when
 * due, the user is scored by the project's models ({@link UserScoring}: debounced, refreshed as time passes; the
 * segments are evaluated again when scores were computed, so rules on scores see them). Both answer with a
 * {@link Result}: the encoded new state, the segment and score changes and the next timer — the consumer writes
 * them in one Kafka transaction and then to the store. Until then the entity's memory may be ahead of the store; when the consumer gives a batch up, it
 * starts a new epoch of the partition ({@link PartitionStores}) and the entity reloads the committed state.
 * After {@code passivation-idle} without messages the entity stops; its state stays in the store.
 */
public final class UserEntity extends AbstractBehavior<UserEntity.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "beacon-user");

    /** The entity protocol. */
    public sealed interface Command extends EngineMessage {
    }

    /** One event of the user's partition: the {@code beacon.events.valid} record value and its offset. */
    public record Rec(byte[] event, long offset) implements EngineMessage {
    }

    /**
     * Apply {@code records} (in offset order) as of {@code nowMs}; {@code epoch} is the partition epoch the
     * consumer expects (a stale one is refused with {@link Status#STALE}).
     */
    public record Apply(List<Rec> records, long nowMs, long epoch, boolean snapshot, ActorRef<Result> replyTo) implements Command {
        /** Always answered with a snapshot when something changed (no deferral). */
        public Apply(List<Rec> records, long nowMs, long epoch, ActorRef<Result> replyTo) {
            this(records, nowMs, epoch, true, replyTo);
        }
    }

    /** Re-evaluate segments at {@code nowMs} without an event (a durable timer fell due). */
    public record Tick(long nowMs, long epoch, ActorRef<Result> replyTo) implements Command {
    }

    /** The profile JSON of {@code GET /api/v1/users/{id}} as of {@code nowMs}. */
    public record GetProfile(long nowMs, ActorRef<Profile> replyTo) implements Command {
    }

    /**
     * The user's feature vector of the serving spec as of {@code asOfMs} (the online half of the training/serving skew
     * check, and what a data scientist compares with an exported dataset row), answered with a {@link Profile} whose
     * JSON is {@code {"person_id","as_of_ms","feature_fingerprint","features":{name:value,…}}} in spec order.
     */
    public record GetFeatures(long asOfMs, ActorRef<Profile> replyTo) implements Command {
    }

    /**
     * The user's current segment ids (A/B targeting by segment): a light read that renders nothing and, for a
     * user without state, creates none. Answered with {@link Segments}.
     */
    public record GetSegments(ActorRef<Segments> replyTo) implements Command {
    }

    /** Stop now (via the shard, so no message in flight is lost); the next message reloads from the store. */
    public record Passivate() implements Command {
    }

    /** The shard's stop message after a passivation or a hand-off. */
    record Stop() implements Command {
    }

    /** The periodic idle check (every half {@code passivation-idle}). */
    record Idle() implements Command {
    }

    public enum Status {
        /** Done; the result fields are meaningful. */
        OK,
        /** The partition's epoch moved on (batch given up, store reopened): nothing was applied. */
        STALE,
        /** This node has no open store of the partition (not owned, or being restored). */
        NOT_OWNED,
        /** The user has no state. */
        NOT_FOUND
    }

    /**
     * The answer to {@link Apply} and {@link Tick}.
     *
     * @param changed       whether the state changed (only then {@code state} is set and must be committed)
     * @param state         {@link UserStateCodec} bytes of the new state, or {@code null} when unchanged
     * @param changes       segment changes as {@link SegmentChangeCodec} text, in order
     * @param scoreChanges  score threshold crossings as {@link ScoreChangeCodec} text, in order
     * @param nextTimerAtMs when segments must be re-evaluated without an event ({@link Long#MAX_VALUE} = never)
     * @param segmentsBefore when changed: the segment ids of the state the command started from (the committed
     *                       one: the store's, or the previous batch's), so the store can update its membership
     *                       index without reading what it indexed before
     * @param segmentsNow    when changed: the new state's segment ids
     * @param timerBefore    when changed: the timer of the state the command started from
     *                       ({@link Long#MAX_VALUE} = none, as for a user without state)
     * @param deferredFrom   {@code -1} when the entity's state is all in the snapshot of this result or of an earlier
     *                       one; otherwise the offset of the first event applied since the last snapshot (the snapshot
     *                       was deferred: {@code changed} is false, and the committed offset must not pass this one)
     * @param journeySends   the journeys' sends as {@code CdpCodec} outbox message JSON, in order (for the CDP outbox,
     *                       in the transaction of the state)
     * @param journeyEvents  the journey events as {@code JourneyEventCodec} text, in order
     */
    public record Result(String userKey, int partition, Status status, boolean changed, byte[] state,
                         List<String> changes, List<String> scoreChanges, long nextTimerAtMs, Set<String> segmentsBefore,
                         Set<String> segmentsNow, long timerBefore, long deferredFrom, List<String> journeySends,
                         List<String> journeyEvents) implements EngineMessage {

        /** Without journeys. */
        public Result(String userKey, int partition, Status status, boolean changed, byte[] state, List<String> changes,
                      List<String> scoreChanges, long nextTimerAtMs, Set<String> segmentsBefore, Set<String> segmentsNow,
                      long timerBefore, long deferredFrom) {
            this(userKey, partition, status, changed, state, changes, scoreChanges, nextTimerAtMs, segmentsBefore,
                    segmentsNow, timerBefore, deferredFrom, List.of(), List.of());
        }

        /** The store's part of a changed result. */
        public PartitionStore.UserWrite write() {
            return new PartitionStore.UserWrite(userKey, state, segmentsBefore, segmentsNow, timerBefore, nextTimerAtMs);
        }
    }

    /** The answer to {@link GetProfile}: {@code json} is set when {@code status} is OK. */
    public record Profile(Status status, String json) implements EngineMessage {
    }

    /**
     * The answer to {@link GetSegments}: with status OK the ids of the segments the user is a member of and
     * that are still defined (a deleted segment's membership is dropped only at the user's next evaluation);
     * NOT_FOUND (no state: in no segment) and NOT_OWNED carry an empty set.
     */
    public record Segments(Status status, Set<String> ids) implements EngineMessage {
        public Segments {
            ids = Set.copyOf(ids);
        }
    }

    /**
     * What every entity of a node shares: node-local objects, never sent over the wire.
     *
     * @param scoring         the models per project (read once per scoring of a user)
     * @param scoringSettings debounce, refresh and profile explanations
     * @param journeys        the journeys per project (read once per command of a user)
     */
    public record Deps(PartitionStores stores, SegmentSource segments, EngineSettings settings, Duration idle,
                       ScoringSource scoring, ScoringSettings scoringSettings, JourneySource journeys) {

        /** Without journeys. */
        public Deps(PartitionStores stores, SegmentSource segments, EngineSettings settings, Duration idle,
                    ScoringSource scoring, ScoringSettings scoringSettings) {
            this(stores, segments, settings, idle, scoring, scoringSettings, JourneySource.NONE);
        }

        /** Without scoring models and journeys. */
        public Deps(PartitionStores stores, SegmentSource segments, EngineSettings settings, Duration idle) {
            this(stores, segments, settings, idle, ScoringSource.NONE, ScoringSettings.defaults());
        }
    }

    private final String userKey;
    private final String projectId;
    private final String personId;
    private final int partition;
    /** The event properties the state reads (the project's revenue property): the rest is never decoded. */
    private final Set<String> stateProperties;
    private final Deps deps;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private UserState state;
    private boolean owned;
    private long loadedEpoch = Long.MIN_VALUE;
    /** Segment ids and timer of the last snapshot (what the store's index holds for this user). */
    private Set<String> storedSegments = Set.of();
    private long storedTimer = Long.MAX_VALUE;
    /** Offset of the first event applied since the last snapshot, or -1 when memory and snapshot agree. */
    private long dirtyFrom = -1;
    /** When the entity last got a message other than its idle check ({@link System#nanoTime}). */
    private long lastActiveNanos = System.nanoTime();

    private UserEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String userKey, int partition, Deps deps,
                       ActorRef<ClusterSharding.ShardCommand> shard) {
        super(ctx);
        int colon = userKey.indexOf(':');
        if (colon <= 0 || colon == userKey.length() - 1) {
            throw new IllegalArgumentException("not a project:person key: " + userKey);
        }
        this.userKey = userKey;
        this.projectId = userKey.substring(0, colon);
        this.personId = userKey.substring(colon + 1);
        this.partition = partition;
        this.stateProperties = Set.of(deps.settings().revenuePropertyFor(projectId));
        this.deps = deps;
        this.shard = shard;
        // a periodic check instead of a receive timeout: a receive timeout is cancelled and rescheduled on every
        // message, which was 8 % of the entities' CPU in the engine bench
        timers.startTimerWithFixedDelay(new Idle(), Duration.ofNanos(Math.max(1_000_000L, deps.idle().toNanos() / 2)));
    }

    /**
     * The behaviour of entity {@code userKey} in {@code partition}.
     *
     * @param shard the entity's shard (passivation goes through it), or {@code null} outside sharding (tests)
     */
    public static Behavior<Command> create(String userKey, int partition, Deps deps,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new UserEntity(ctx, timers, userKey, partition, deps, shard)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Apply.class, this::onApply)
                .onMessage(Tick.class, this::onTick)
                .onMessage(GetProfile.class, this::onGetProfile)
                .onMessage(GetFeatures.class, this::onGetFeatures)
                .onMessage(GetSegments.class, this::onGetSegments)
                .onMessage(Passivate.class, m -> passivateUnlessDirty())
                .onMessage(Idle.class, m -> System.nanoTime() - lastActiveNanos >= deps.idle().toNanos() ? passivateUnlessDirty() : this)
                .onMessage(Stop.class, m -> Behaviors.stopped())
                .build();
    }

    private Behavior<Command> onApply(Apply cmd) {
        lastActiveNanos = System.nanoTime();
        Status status = ensureLoaded(cmd.epoch());
        if (status != Status.OK) {
            cmd.replyTo().tell(refused(status));
            return this;
        }
        if (state == null) {
            state = new UserState(projectId, personId);
            state.setPartition(partition);
        }
        List<SegmentDefinition> segments = deps.segments().forProject(projectId);
        ProjectJourneys journeys = deps.journeys().forProject(projectId);
        // journeys read event properties (filters, template variables): decode whole events only when they run
        EntityJourneys jr = EntityJourneys.concerns(state, journeys) ? new EntityJourneys(state, journeys, cmd.nowMs()) : null;
        List<String> changes = new ArrayList<>();
        List<String> scoreChanges = List.of();
        long next = state.nextTimerAtMs();
        long firstApplied = -1;
        String lastEventId = null;
        for (Rec r : cmd.records()) {
            Event e;
            try {
                e = jr != null ? EventCodec.decodeEvent(r.event()) : EventCodec.decodeProjected(r.event(), stateProperties);
            } catch (RuntimeException bad) {
                // beacon.events.valid is written by the topology in this codec; count it and go on
                getContext().getLog().warn("user {}: undecodable event at offset {} skipped: {}", userKey, r.offset(), bad.toString());
                EngineMetrics.UNDECODABLE.increment();
                continue;
            }
            if (state.apply(e, r.offset(), deps.settings())) {
                if (firstApplied < 0) {
                    firstApplied = r.offset();
                }
                lastEventId = e.eventId();
                SegmentMembership.Evaluation ev = SegmentMembership.reevaluate(state, segments, cmd.nowMs(),
                        SegmentChange.Cause.EVENT, e.eventId());
                ev.changes().forEach(c -> changes.add(SegmentChangeCodec.encode(c)));
                next = ev.nextTimerAtMs();
                if (jr != null) {
                    jr.onEvent(e, ev.changes());
                }
            }
        }
        if (firstApplied >= 0) {
            Optional<ActiveModels> models = deps.scoring().forProject(projectId);
            UserScoring.Outcome scored = UserScoring.afterEvents(state, models, cmd.nowMs(), lastEventId, deps.scoringSettings());
            scoreChanges = scored(scored, models);
            if (jr != null) {
                jr.onScoreChanges(scored.changes());
            }
            if (scored.scored() > 0 && !segments.isEmpty()) {
                SegmentMembership.Evaluation ev = SegmentMembership.reevaluate(state, segments, cmd.nowMs(),
                        SegmentChange.Cause.EVENT, lastEventId);
                ev.changes().forEach(c -> changes.add(SegmentChangeCodec.encode(c)));
                next = ev.nextTimerAtMs();
                if (jr != null) {
                    jr.onSegmentChanges(ev.changes());
                }
            }
            next = Math.min(next, state.scoreDueAtMs());
            if (jr != null) {
                next = Math.min(next, jr.nextWakeAtMs());
            }
            state.setNextTimerAtMs(next);
        }
        List<String> journeySends = jr == null ? List.of() : jr.sends();
        List<String> journeyEvents = jr == null ? List.of() : jr.events();
        if (firstApplied < 0 && !(cmd.snapshot() && dirtyFrom >= 0)) {
            // nothing new (a replay, or a flush of a clean user)
            cmd.replyTo().tell(unchanged(Status.OK, dirtyFrom));
            return this;
        }
        Set<String> segmentsNow = state.memberships().keySet();
        // the snapshot may wait (the consumer holds the committed offset back to dirtyFrom) unless it carries segment
        // changes (they must be committed with the state that made them), the index would change, or the timer moved
        // earlier than the stored one (a later one only makes the stored timer fire early, which re-evaluates)
        boolean snapshot = cmd.snapshot() || !changes.isEmpty() || !scoreChanges.isEmpty() || next < storedTimer
                || !segmentsNow.equals(storedSegments) || !journeySends.isEmpty() || !journeyEvents.isEmpty();
        if (!snapshot) {
            if (dirtyFrom < 0) {
                dirtyFrom = firstApplied;
            }
            cmd.replyTo().tell(unchanged(Status.OK, dirtyFrom));
            return this;
        }
        Set<String> now = Set.copyOf(segmentsNow);
        cmd.replyTo().tell(new Result(userKey, partition, Status.OK, true, UserStateCodec.encode(state), changes, scoreChanges,
                next, storedSegments, now, storedTimer, -1, journeySends, journeyEvents));
        storedSegments = now;
        storedTimer = next;
        dirtyFrom = -1;
        return this;
    }

    private Behavior<Command> onTick(Tick cmd) {
        lastActiveNanos = System.nanoTime();
        Status status = ensureLoaded(cmd.epoch());
        if (status != Status.OK) {
            cmd.replyTo().tell(refused(status));
            return this;
        }
        if (state == null) {
            // a timer of a user without state: commit "no timer" so it is not due again
            cmd.replyTo().tell(unchanged(Status.NOT_FOUND));
            return this;
        }
        List<SegmentDefinition> segments = deps.segments().forProject(projectId);
        ProjectJourneys journeys = deps.journeys().forProject(projectId);
        EntityJourneys jr = EntityJourneys.concerns(state, journeys) ? new EntityJourneys(state, journeys, cmd.nowMs()) : null;
        SegmentMembership.Evaluation ev = SegmentMembership.reevaluate(state, segments, cmd.nowMs(), SegmentChange.Cause.TIME, null);
        List<String> changes = new ArrayList<>();
        ev.changes().forEach(c -> changes.add(SegmentChangeCodec.encode(c)));
        long next = ev.nextTimerAtMs();
        if (jr != null) {
            jr.onSegmentChanges(ev.changes());
        }
        Optional<ActiveModels> models = deps.scoring().forProject(projectId);
        UserScoring.Outcome scored = UserScoring.onTime(state, models, cmd.nowMs(), deps.scoringSettings());
        List<String> scoreChanges = scored(scored, models);
        if (jr != null) {
            jr.onScoreChanges(scored.changes());
        }
        if (scored.scored() > 0 && !segments.isEmpty()) {
            SegmentMembership.Evaluation again = SegmentMembership.reevaluate(state, segments, cmd.nowMs(), SegmentChange.Cause.TIME, null);
            again.changes().forEach(c -> changes.add(SegmentChangeCodec.encode(c)));
            next = again.nextTimerAtMs();
            if (jr != null) {
                jr.onSegmentChanges(again.changes());
            }
        }
        next = Math.min(next, state.scoreDueAtMs());
        if (jr != null) {
            jr.onTimer();
            next = Math.min(next, jr.nextWakeAtMs());
        }
        state.setNextTimerAtMs(next);
        // always "changed": the store must replace the timer that fell due, with the state it belongs to
        Set<String> now = Set.copyOf(state.memberships().keySet());
        cmd.replyTo().tell(new Result(userKey, partition, Status.OK, true, UserStateCodec.encode(state), changes, scoreChanges,
                next, storedSegments, now, storedTimer, -1, jr == null ? List.of() : jr.sends(),
                jr == null ? List.of() : jr.events()));
        storedSegments = now;
        storedTimer = next;
        dirtyFrom = -1;
        return this;
    }

    private Behavior<Command> onGetProfile(GetProfile cmd) {
        lastActiveNanos = System.nanoTime();
        Status status = ensureLoaded(Long.MIN_VALUE);
        if (status != Status.OK) {
            cmd.replyTo().tell(new Profile(status, null));
            return this;
        }
        if (state == null) {
            cmd.replyTo().tell(new Profile(Status.NOT_FOUND, null));
            return passivate(); // nothing to keep in memory for an unknown user
        }
        String json = ProfileRendering.render(state, deps.segments().forProject(projectId), deps.scoring().forProject(projectId),
                deps.scoringSettings().explainTop(), cmd.nowMs());
        cmd.replyTo().tell(new Profile(Status.OK, json));
        return this;
    }

    private Behavior<Command> onGetFeatures(GetFeatures cmd) {
        lastActiveNanos = System.nanoTime();
        Status status = ensureLoaded(Long.MIN_VALUE);
        if (status != Status.OK) {
            cmd.replyTo().tell(new Profile(status, null));
            return this;
        }
        if (state == null) {
            cmd.replyTo().tell(new Profile(Status.NOT_FOUND, null));
            return passivate();
        }
        FeatureSpec spec = deps.scoringSettings().servingSpec();
        double[] x = new FeatureExtractor(spec).extract(new UserStateFeatures(state), cmd.asOfMs());
        ObjectNode o = EventCodec.mapper().createObjectNode();
        o.put("person_id", personId);
        o.put("as_of_ms", cmd.asOfMs());
        o.put("feature_fingerprint", spec.fingerprint());
        ObjectNode f = o.putObject("features");
        for (int i = 0; i < x.length; i++) {
            f.put(spec.featureNames().get(i), x[i]);
        }
        cmd.replyTo().tell(new Profile(Status.OK, o.toString()));
        return this;
    }

    private Behavior<Command> onGetSegments(GetSegments cmd) {
        lastActiveNanos = System.nanoTime();
        Status status = ensureLoaded(Long.MIN_VALUE);
        if (status != Status.OK) {
            cmd.replyTo().tell(new Segments(status, Set.of()));
            return this;
        }
        if (state == null) {
            cmd.replyTo().tell(new Segments(Status.NOT_FOUND, Set.of()));
            return passivate(); // nothing to keep in memory for an unknown user
        }
        Map<String, Long> memberships = state.memberships();
        if (memberships.isEmpty()) {
            cmd.replyTo().tell(new Segments(Status.OK, Set.of()));
            return this;
        }
        Set<String> ids = new HashSet<>(memberships.size() * 2);
        for (SegmentDefinition d : deps.segments().forProject(projectId)) {
            if (memberships.containsKey(d.id())) {
                ids.add(d.id());
            }
        }
        cmd.replyTo().tell(new Segments(Status.OK, ids));
        return this;
    }

    /**
     * Loads or reloads the state when the partition's epoch moved on. {@code expectedEpoch} is the epoch a
     * mutating command was issued for ({@link Long#MIN_VALUE} for reads, which accept any).
     */
    private Status ensureLoaded(long expectedEpoch) {
        long current = deps.stores().epoch(partition);
        if (current != loadedEpoch) {
            load(current);
        }
        if (!owned) {
            return Status.NOT_OWNED;
        }
        if (expectedEpoch != Long.MIN_VALUE && expectedEpoch != loadedEpoch) {
            return Status.STALE;
        }
        return Status.OK;
    }

    private void load(long epoch) {
        Optional<PartitionStore> store = deps.stores().get(partition);
        state = null;
        owned = false;
        loadedEpoch = epoch;
        storedSegments = Set.of();
        storedTimer = Long.MAX_VALUE;
        dirtyFrom = -1; // memory not in a snapshot is dropped: the consumer re-reads from the committed offset
        if (store.isEmpty()) {
            return;
        }
        try {
            state = store.get().get(userKey).orElse(null);
            owned = true;
            if (state != null) {
                storedSegments = Set.copyOf(state.memberships().keySet());
                storedTimer = state.nextTimerAtMs();
            }
        } catch (RuntimeException e) {
            // the store was closed under us (partition revoked): not owned; the next message tries again
            getContext().getLog().debug("user {}: store of partition {} not readable: {}", userKey, partition, e.toString());
            loadedEpoch = Long.MIN_VALUE;
        }
    }

    /** Counts a scoring, logs champion and challenger side by side, and encodes its crossings. */
    private List<String> scored(UserScoring.Outcome o, Optional<ActiveModels> models) {
        if (o.scored() == 0) {
            return List.of();
        }
        EngineMetrics.SCORES.add(o.scored());
        EngineMetrics.SCORE_NANOS.add(o.nanos());
        if (getContext().getLog().isDebugEnabled()) {
            models.ifPresent(m -> m.all().forEach(t -> {
                Score challenger = state.scores().get(ScoreNames.challengerOf(t.task()));
                if (challenger != null) {
                    getContext().getLog().debug("user {}: {} champion {} = {}, challenger {} = {}", userKey, ScoreNames.of(t.task()),
                            t.championVersion(), state.scores().get(ScoreNames.of(t.task())).value(), challenger.modelVersion(),
                            challenger.value());
                }
            }));
        }
        if (o.changes().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(o.changes().size());
        o.changes().forEach(c -> out.add(ScoreChangeCodec.encode(c)));
        return out;
    }

    private Result refused(Status status) {
        return unchanged(status, -1);
    }

    private Result unchanged(Status status) {
        return unchanged(status, -1);
    }

    private Result unchanged(Status status, long deferredFrom) {
        return new Result(userKey, partition, status, false, null, List.of(), List.of(), Long.MAX_VALUE, Set.of(), Set.of(),
                Long.MAX_VALUE, deferredFrom);
    }

    /**
     * Passivates unless the entity holds events not yet in a snapshot of the current epoch (they would be lost: the
     * consumer does not re-read them); the consumer flushes such users within {@code snapshot-interval}.
     */
    private Behavior<Command> passivateUnlessDirty() {
        if (dirtyFrom >= 0 && loadedEpoch == deps.stores().epoch(partition)) {
            return this;
        }
        return passivate();
    }

    private Behavior<Command> passivate() {
        if (shard == null) {
            return Behaviors.stopped();
        }
        shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        return this;
    }
}
