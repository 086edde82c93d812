package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.scoring.ActiveModels;
import io.beacon.engine.scoring.ScoreNames;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.scoring.TaskModels;
import io.beacon.engine.scoring.TinyModels;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.Score;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.event.ScoreChange;
import io.beacon.event.ScoreChangeCodec;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.registry.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring in the user entity, on a real partition store with every message serialized: scored after events with the
 * model version, debounced to a timer, re-scored by the refresh timer as recency ages (crossing the threshold: a
 * score change, and a segment on the score entered in the same result), and explained in the profile.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserEntityScoringTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\npekko.actor.serialize-creators = off")).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "p1";
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long DAY = 86_400_000L;
    private static final SegmentDefinition AT_RISK = new SegmentDefinition(PROJECT, "at-risk", "Churn risk above 0.7", null,
            new Rule.ScoreCondition(ScoreNames.CHURN_RISK, Cmp.GT, 0.7), 1, T0);

    @TempDir
    Path dir;
    private LoadedModel churn;
    private PartitionStores stores;
    private final String user = PROJECT + ":u1";
    private final int partition = KafkaPartitioning.partition(PROJECT + ":u1", 4);

    @BeforeAll
    void trainModel(@TempDir Path models) {
        ModelStore store = new ModelStore(models);
        churn = TinyModels.load(store, TinyModels.writeChurn(store, 10, Instant.parse("2026-11-01T00:00:00Z")));
    }

    @BeforeEach
    void openStore() {
        stores = EngineTestSupport.openStore(dir, partition);
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    private ActorRef<UserEntity.Command> spawn() {
        ScoringSettings settings = ScoringSettings.defaults().withServingSpec(TinyModels.SPEC);
        ActiveModels models = ActiveModels.NONE.with(TaskModels.of(churn, null, 0, OptionalDouble.of(0.7)));
        UserEntity.Deps deps = new UserEntity.Deps(stores, p -> p.equals(PROJECT) ? List.of(AT_RISK) : List.of(),
                EngineSettings.defaults(), Duration.ofMinutes(5), p -> p.equals(PROJECT) ? Optional.of(models) : Optional.empty(), settings);
        return testKit.spawn(UserEntity.create(user, partition, deps, null));
    }

    private UserEntity.Result apply(ActorRef<UserEntity.Command> entity, long now, List<UserEntity.Rec> recs) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Apply(recs, now, stores.epoch(partition), probe.getRef()));
        return probe.receiveMessage();
    }

    private UserEntity.Result tick(ActorRef<UserEntity.Command> entity, long now) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Tick(now, stores.epoch(partition), probe.getRef()));
        return probe.receiveMessage();
    }

    @Test
    void shouldScoreDebounceRefreshCrossAndExplain() throws Exception {
        ActorRef<UserEntity.Command> entity = spawn();
        // When the user's first event is applied, the user is scored at once with the model's version
        UserEntity.Result first = apply(entity, T0, List.of(EngineTestSupport.rec(user, "page", T0, 1)));
        Score s1 = UserStateCodec.decode(first.state()).scores().get(ScoreNames.CHURN_RISK);
        assertEquals(churn.version(), s1.modelVersion());
        assertTrue(s1.value() < 0.7, s1.toString());
        assertEquals(List.of(), first.scoreChanges());
        assertEquals(T0 + Duration.ofHours(1).toMillis(), first.nextTimerAtMs(), "the refresh timer");

        // When another event follows within the debounce, it is not scored now but by a timer at its end
        UserEntity.Result second = apply(entity, T0 + 300, List.of(EngineTestSupport.rec(user, "page", T0 + 300, 2)));
        UserState afterSecond = UserStateCodec.decode(second.state());
        assertEquals(T0, afterSecond.scores().get(ScoreNames.CHURN_RISK).updatedAtMs());
        assertEquals(T0 + 1_000, second.nextTimerAtMs());
        UserEntity.Result debounced = tick(entity, T0 + 1_000);
        assertEquals(T0 + 1_000, UserStateCodec.decode(debounced.state()).scores().get(ScoreNames.CHURN_RISK).updatedAtMs());
        assertEquals(T0 + 1_000 + Duration.ofHours(1).toMillis(), debounced.nextTimerAtMs());

        // When 25 days pass without an event, the refresh timer re-scores: the risk crosses 0.7, a score change is
        // emitted and the segment on the score is entered in the same result
        UserEntity.Result aged = tick(entity, T0 + 25 * DAY);
        assertEquals(1, aged.scoreChanges().size(), aged.toString());
        ScoreChange up = ScoreChangeCodec.decode(aged.scoreChanges().get(0));
        assertEquals(ScoreChange.Direction.UP, up.direction());
        assertEquals(ScoreChange.Cause.TIME, up.cause());
        assertEquals("u1", up.personId());
        assertEquals(churn.version(), up.modelVersion());
        List<SegmentChange> entered = aged.changes().stream().map(SegmentChangeCodec::decode).toList();
        assertEquals(1, entered.size());
        assertEquals("at-risk", entered.get(0).segmentId());
        assertEquals(SegmentChange.Kind.ENTERED, entered.get(0).kind());
        assertEquals(List.of("at-risk"), List.copyOf(aged.segmentsNow()));

        // And the profile shows the score with its model version and top features
        TestProbe<UserEntity.Profile> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.GetProfile(T0 + 25 * DAY, probe.getRef()));
        JsonNode score = JSON.readTree(probe.receiveMessage().json()).path("scores").path(ScoreNames.CHURN_RISK);
        assertEquals(churn.version(), score.path("model_version").asText());
        assertEquals(up.value(), score.path("value").asDouble());
        JsonNode top = score.path("top_features");
        assertTrue(top.size() >= 1 && top.size() <= 5, score.toString());
        assertEquals("recency_days", top.get(0).path("feature").asText(), "recency drives this model: " + top);
        assertEquals((25 * DAY - 300) / (double) DAY, top.get(0).path("value").asDouble(), 1e-12, "days since the event at T0 + 300 ms");
        assertTrue(top.get(0).path("contribution").asDouble() > 0, "a long absence raises the log-odds of churn");
    }
}
