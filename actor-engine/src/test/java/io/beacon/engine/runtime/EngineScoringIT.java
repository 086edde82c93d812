package io.beacon.engine.runtime;

import static io.beacon.engine.runtime.EngineTestSupport.await;
import static io.beacon.engine.runtime.EngineTestSupport.getUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.engine.api.EngineRoutes;
import io.beacon.engine.scoring.ScoreNames;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.scoring.TinyModels;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserStateReplay;
import io.beacon.event.Event;
import io.beacon.event.ScoreChange;
import io.beacon.event.ScoreChangeCodec;
import io.beacon.event.TopicNames;
import io.beacon.ml.Task;
import io.beacon.ml.feature.FeatureExtractor;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.score.Scorer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine node on the real broker scoring with tiny models trained in the test: events → every user's
 * {@code churn_risk} stored with the model version and equal to the score of the replayed history; a score change on
 * {@code beacon.score.changes} for exactly the users whose first score reaches 0.7; then a second version promoted in
 * the middle of a stream of events: every event applied once (profile counts equal the events sent) and every score
 * after the swap carries the new version.
 */
@ExtendWith(BeaconStackExtension.class)
class EngineScoringIT {
    private static final String PROJECT = "shop";
    private static final int PARTITIONS = 4;
    private static final int USERS = 300;
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @Test
    void shouldScoreUsersEmitCrossingsAndHotSwapWithoutLosingEvents(TestStack stack, @TempDir Path dir, @TempDir Path models)
            throws Exception {
        ModelStore store = new ModelStore(models);
        ModelManifest v1 = TinyModels.writeChurn(store, 10, Instant.parse("2026-11-01T00:00:00Z"));
        ModelManifest v2 = TinyModels.writeChurn(store, 20, Instant.parse("2026-11-02T00:00:00Z"));
        AtomicLong clock = new AtomicLong(T0);
        ModelCatalog catalog = new ModelCatalog(store, ModelCatalog.ServingSpecs.fixed(TinyModels.SPEC),
                ScoringSettings.defaults().withServingSpec(TinyModels.SPEC), clock::get);
        assertEquals(Optional.empty(), catalog.promote(PROJECT, Task.CHURN, v1.version()));

        String prefix = stack.uniqueName("scoring") + ".";
        String events = prefix + "beacon.events.valid";
        stack.createTopics(PARTITIONS, events);
        // Given users last seen 0 to 29 days before T0 (two events each)
        Map<String, List<Event>> byUser = new HashMap<>();
        List<Event> phaseA = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            String person = "u" + u;
            long last = T0 - (u % 30) * DAY - 3_600_000L;
            for (int i = 0; i < 2; i++) {
                Event e = EngineTestSupport.event(PROJECT, person, "page", last - i * 60_000L, person + "-a" + i, Map.of());
                byUser.computeIfAbsent(person, k -> new ArrayList<>()).add(e);
                phaseA.add(e);
            }
        }
        String group = stack.uniqueName("scoring-group");
        // scored on every batch (no debounce: UserScoringTest and UserEntityScoringTest cover it), so a user's score is
        // that of all its events however the polls split them
        Config config = ConfigFactory.parseMap(Map.of("beacon.engine.scoring.debounce", "0s"))
                .withFallback(EngineTestSupport.config(stack, prefix, dir, "score-1", group, List.of()));
        try (KafkaProducer<String, byte[]> producer = EngineTestSupport.producer(stack);
             Engine engine = Engine.start(config, EngineRuntimeSettings.fromConfig(config), p -> List.of(), catalog, clock::get);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            String url = EngineTestSupport.serve(engine, new EngineRoutes(engine, EngineTestSupport.projects(PROJECT), p -> List.of()));
            EngineTestSupport.produce(producer, events, phaseA);

            // When the engine has consumed them
            await("engine caught up", Duration.ofMinutes(3), () -> EngineTestSupport.caughtUp(admin, engine.settings().groupId(), events, PARTITIONS));

            // Then every user has churn_risk from v1, equal to the score of the replayed history at T0
            Scorer v1Scorer = Scorer.of(TinyModels.load(store, v1));
            FeatureExtractor extractor = new FeatureExtractor(TinyModels.SPEC);
            UserStateReplay replay = new UserStateReplay(EngineSettings.defaults());
            Set<String> expectedUp = new TreeSet<>();
            for (int u = 0; u < USERS; u++) {
                String person = "u" + u;
                List<Event> history = new ArrayList<>(byUser.get(person));
                history.sort((a, b) -> Long.compare(a.eventTime(), b.eventTime()));
                double expected = v1Scorer.value(extractor.extract(replay.replay(history, T0), T0));
                if (expected >= 0.7) {
                    expectedUp.add(person);
                }
                if (u % 7 == 0) {
                    JsonNode score = getUntil(url + "/api/v1/users/" + person, 200, Duration.ofSeconds(30)).body()
                            .path("scores").path(ScoreNames.CHURN_RISK);
                    assertEquals(v1.version(), score.path("model_version").asText(), person + ": " + score);
                    assertEquals(expected, score.path("value").asDouble(), 1e-12, person);
                    assertTrue(score.path("top_features").size() > 0, score.toString());
                }
            }
            assertTrue(expectedUp.size() > 50 && expectedUp.size() < USERS - 50, "a mix of risks: " + expectedUp.size());
            // and beacon.score.changes holds one "up" for exactly the users whose score reached 0.7
            String scoreTopic = TopicNames.withPrefix(prefix).scoreChanges();
            await("score changes committed", Duration.ofSeconds(30), () -> scoreChanges(stack, scoreTopic).size() >= expectedUp.size());
            List<ScoreChange> first = scoreChanges(stack, scoreTopic);
            Set<String> up = new TreeSet<>();
            for (ScoreChange c : first) {
                assertEquals(ScoreChange.Direction.UP, c.direction());
                assertEquals(v1.version(), c.modelVersion());
                assertEquals(ScoreChange.Cause.EVENT, c.cause());
                assertTrue(up.add(c.personId()), "one change per user: " + c);
            }
            assertEquals(expectedUp, up);

            // When a stream of fresh events runs and v2 is promoted in the middle of it
            List<Event> phaseB = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) {
                String person = "u" + (i * 7919 % USERS);
                Event e = EngineTestSupport.event(PROJECT, person, i % 5 == 0 ? "purchase" : "page", T0 + i, person + "-b" + i, Map.of());
                byUser.get(person).add(e);
                phaseB.add(e);
            }
            for (int chunk = 0; chunk < 6; chunk++) {
                EngineTestSupport.produce(producer, events, phaseB.subList(chunk * 1_000, (chunk + 1) * 1_000));
                clock.addAndGet(1_500); // past the debounce: users are scored on their next events
                if (chunk == 2) {
                    await("half the stream applied", Duration.ofMinutes(1), () -> engine.metrics().recordsProcessed() >= phaseA.size() + 2_000);
                    assertEquals(Optional.empty(), catalog.promote(PROJECT, Task.CHURN, v2.version()));
                }
            }
            await("stream caught up", Duration.ofMinutes(3), () -> EngineTestSupport.caughtUp(admin, engine.settings().groupId(), events, PARTITIONS));
            // the refresh timers re-score everyone an hour later
            clock.addAndGet(Duration.ofHours(1).toMillis() + 5_000);

            // Then every event was applied exactly once and every user's score carries v2
            assertEquals(phaseA.size() + phaseB.size(), engine.metrics().recordsProcessed());
            for (int u = 0; u < USERS; u++) {
                String person = "u" + u;
                long sent = byUser.get(person).size();
                await(person + " re-scored by v2", Duration.ofSeconds(60), () -> {
                    try {
                        JsonNode p = getUntil(url + "/api/v1/users/" + person, 200, Duration.ofSeconds(10)).body();
                        return v2.version().equals(p.path("scores").path(ScoreNames.CHURN_RISK).path("model_version").asText());
                    } catch (Exception e) {
                        return false;
                    }
                });
                JsonNode p = getUntil(url + "/api/v1/users/" + person, 200, Duration.ofSeconds(10)).body();
                long counted = p.path("events").path("page").path("all").asLong() + p.path("events").path("purchase").path("all").asLong();
                assertEquals(sent, counted, person + ": every event applied once");
            }
            // and the changes after the swap (fresh events: the at-risk users fall below 0.7) have distinct ids
            List<ScoreChange> all = scoreChanges(stack, scoreTopic);
            Set<String> ids = new HashSet<>();
            all.forEach(c -> assertTrue(ids.add(c.id()), "duplicate id " + c));
            assertTrue(all.stream().anyMatch(c -> c.direction() == ScoreChange.Direction.DOWN), all.size() + " changes");
            assertTrue(engine.metrics().prometheus("score-1").contains("beacon_engine_model_swaps_total"));
            assertTrue(EngineMetrics.scoresComputed() >= USERS * 2L);
        }
    }

    static List<ScoreChange> scoreChanges(TestStack stack, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ScoreChange> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(ScoreChangeCodec.decode(r.value()));
                }
            }
        }
        return out;
    }
}
