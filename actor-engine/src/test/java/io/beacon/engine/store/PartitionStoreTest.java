package io.beacon.engine.store;

import static io.beacon.engine.state.StateFixtures.T0;
import static io.beacon.engine.state.StateFixtures.track;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Window;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStoreTest {
    private static final long HOUR = 3_600_000L;
    private static final long NO_TIMER = Long.MAX_VALUE;

    @TempDir
    Path dir;

    private static UserState user(String person, long offset, String... segments) {
        UserState s = new UserState("shop", person);
        s.apply(track("e-" + person + "-" + offset, "purchase", T0), offset, EngineSettings.defaults());
        for (String seg : segments) {
            s.enterSegment(seg, T0);
        }
        return s;
    }

    private static Map<String, UserState> states(UserState... users) {
        Map<String, UserState> m = new LinkedHashMap<>();
        for (UserState u : users) {
            m.put(u.userKey(), u);
        }
        return m;
    }

    @Test
    void theCommitIdIsKeptWithTheOffsetAcrossReopenRestoreAndWipe() {
        try (PartitionStore store = PartitionStore.open(dir, 5)) {
            assertEquals(0, store.storedCommitId());
            store.commitWrites(java.util.List.of(), 40, 1_001, 0);
            // a later commit that does not move the offset is still told apart by its id
            store.commitWrites(java.util.List.of(), 40, 1_002, 0);
            assertEquals(40, store.storedNextOffset());
            assertEquals(1_002, store.storedCommitId());
        }
        try (PartitionStore store = PartitionStore.open(dir, 5)) {
            assertEquals(40, store.storedNextOffset());
            assertEquals(1_002, store.storedCommitId());
            store.putAllRestored(java.util.List.of(), 55, 2_000);
            assertEquals(2_000, store.storedCommitId());
            store.wipe();
            assertEquals(0, store.storedCommitId());
            assertEquals(-1, store.storedNextOffset());
        }
    }

    @Test
    void shouldKeepStatesAndOffsetAcrossCloseAndReopen() {
        UserState a = user("a", 4, "buyers");
        try (PartitionStore store = PartitionStore.open(dir, 3)) {
            assertEquals(-1, store.storedNextOffset());
            assertTrue(store.get("shop:a").isEmpty());
            store.commit(states(a), Map.of(), 5);
        }
        try (PartitionStore store = PartitionStore.open(dir, 3)) {
            assertEquals(5, store.storedNextOffset());
            UserState back = store.get("shop:a").orElseThrow();
            assertArrayEquals(UserStateCodec.encode(a), UserStateCodec.encode(back));
            assertEquals(1, back.count("purchase", Window.ALL, T0));
            assertEquals(1, store.segmentSize("shop", "buyers"));
            assertEquals(List.of("shop:a"), store.members("shop", "buyers", null, 10).userKeys());
            assertTrue(dir.resolve("partition-3").toFile().isDirectory());
        }
    }

    @Test
    void shouldMaintainTheMembershipIndexAndSizesAsMembershipsChange() {
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            store.commit(states(user("a", 1, "buyers", "active"), user("b", 2, "active"), user("c", 3)), Map.of(), 4, T0);
            assertEquals(1, store.segmentSize("shop", "buyers"));
            assertEquals(2, store.segmentSize("shop", "active"));

            // a leaves active, c enters buyers, b unchanged
            store.commit(states(user("a", 5, "buyers"), user("c", 6, "buyers")), Map.of(), 7, T0 + HOUR);

            assertEquals(2, store.segmentSize("shop", "buyers"));
            assertEquals(1, store.segmentSize("shop", "active"));
            assertEquals(List.of("shop:a", "shop:c"), store.members("shop", "buyers", null, 10).userKeys());
            assertEquals(List.of("shop:b"), store.members("shop", "active", null, 10).userKeys());
            assertEquals(0, store.segmentSize("shop", "nobody"));

            // everyone leaves everything
            store.commit(states(user("a", 8), user("b", 9), user("c", 10)), Map.of(), 11, T0 + 2 * HOUR);
            assertEquals(0, store.segmentSize("shop", "buyers"));
            assertTrue(store.members("shop", "buyers", null, 10).userKeys().isEmpty());
        }
    }

    @Test
    void shouldPageMembersInKeyOrder() {
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            Map<String, UserState> all = new TreeMap<>();
            for (int i = 0; i < 25; i++) {
                UserState u = user(String.format("u%02d", i), i, "seg");
                all.put(u.userKey(), u);
            }
            store.commit(all, Map.of(), 25);
            List<String> seen = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                MembersPage page = store.members("shop", "seg", after, 10);
                seen.addAll(page.userKeys());
                after = page.nextAfter();
                pages++;
            } while (after != null);

            assertEquals(new ArrayList<>(all.keySet()), seen);
            assertEquals(3, pages);
            MembersPage exact = store.members("shop", "seg", null, 25);
            assertEquals(25, exact.userKeys().size());
            assertNull(exact.nextAfter());
        }
    }

    @Test
    void shouldReplaceTimersAndAnswerDueUsersEarliestFirst() {
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            store.commit(states(user("a", 1), user("b", 2), user("c", 3)),
                    Map.of("shop:a", T0 + 300, "shop:b", T0 + 100, "shop:c", NO_TIMER), 4);
            assertEquals(List.of("shop:b", "shop:a"), store.dueUsers(T0 + 1_000, 10));
            assertEquals(List.of("shop:b"), store.dueUsers(T0 + 200, 10));
            assertEquals(List.of("shop:b"), store.dueUsers(T0 + 1_000, 1));

            // b's timer moves later, a's is cleared (a timer-only entry, without a state)
            store.commit(states(user("b", 5)), Map.of("shop:b", T0 + 5_000, "shop:a", NO_TIMER), 6);
            assertEquals(List.of(), store.dueUsers(T0 + 1_000, 10));
            assertEquals(List.of("shop:b"), store.dueUsers(T0 + 5_000, 10));
        }
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            assertEquals(List.of("shop:b"), store.dueUsers(Long.MAX_VALUE - 1, 10), "timers are durable");
        }
    }

    @Test
    void shouldTakeTheTimerFromTheStateWhenNoneIsGiven() {
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            UserState a = user("a", 1);
            a.setNextTimerAtMs(T0 + 42);
            store.commit(states(a), Map.of(), 2);
            assertEquals(List.of("shop:a"), store.dueUsers(T0 + 42, 10));
            assertEquals(List.of(), store.dueUsers(T0 + 41, 10));
        }
    }

    @Test
    void shouldRecordTheSizeAtTheEndOfEachHour() {
        long h0 = Math.floorDiv(T0, HOUR) * HOUR;
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            store.commit(states(user("a", 1, "s")), Map.of(), 2, h0 + 10);
            store.commit(states(user("b", 3, "s")), Map.of(), 4, h0 + 20);
            store.commit(states(user("c", 5, "s")), Map.of(), 6, h0 + 2 * HOUR + 5);
            store.commit(states(user("a", 7)), Map.of(), 8, h0 + 3 * HOUR + 5);

            SortedMap<Long, Long> history = store.sizeHistory("shop", "s", h0 + 1, h0 + 3 * HOUR);
            assertEquals(Map.of(h0, 2L, h0 + 2 * HOUR, 3L, h0 + 3 * HOUR, 2L), history);
            assertEquals(Map.of(h0 + 2 * HOUR, 3L), store.sizeHistory("shop", "s", h0 + HOUR, h0 + 2 * HOUR + 1));
        }
    }

    @Test
    void shouldWipeAndRestoreRebuildingEveryIndex() {
        UserState a = user("a", 1, "buyers");
        a.setNextTimerAtMs(T0 + 7);
        UserState b = user("b", 2, "buyers", "active");
        try (PartitionStore store = PartitionStore.open(dir, 1)) {
            store.commit(states(user("stale", 1, "buyers")), Map.of("shop:stale", T0), 3);

            store.wipe();
            assertEquals(-1, store.storedNextOffset());
            assertTrue(store.get("shop:stale").isEmpty());
            assertEquals(0, store.segmentSize("shop", "buyers"));

            store.putAllRestored(List.of(a, b), 99);
            assertEquals(99, store.storedNextOffset());
            assertEquals(2, store.segmentSize("shop", "buyers"));
            assertEquals(List.of("shop:a", "shop:b"), store.members("shop", "buyers", null, 10).userKeys());
            assertEquals(List.of("shop:b"), store.members("shop", "active", null, 10).userKeys());
            assertEquals(List.of("shop:a"), store.dueUsers(T0 + 100, 10));
            Map<String, Long> offsets = new HashMap<>();
            store.forEach(s -> offsets.put(s.userKey(), s.appliedOffset()));
            assertEquals(Map.of("shop:a", 1L, "shop:b", 2L), offsets);

            // a later commit diffs against the restored index
            store.commit(states(user("b", 5, "active")), Map.of(), 100);
            assertEquals(1, store.segmentSize("shop", "buyers"));
        }
        try (PartitionStore store = PartitionStore.open(dir, 1)) {
            assertEquals(1, store.segmentSize("shop", "buyers"), "sizes are reloaded on open");
            assertEquals(1, store.segmentSize("shop", "active"));
            assertEquals(100, store.storedNextOffset());
        }
    }

    @Test
    void shouldKeepSegmentsOfTheSameIdInTwoProjectsApart() {
        UserState blogger = new UserState("blog", "a");
        blogger.apply(track("b1", "post", T0), 1, EngineSettings.defaults());
        blogger.enterSegment("active", T0);
        try (PartitionStore store = PartitionStore.open(dir, 0)) {
            store.commit(states(user("a", 1, "active"), user("b", 2, "active"), blogger), Map.of(), 3);

            assertEquals(2, store.segmentSize("shop", "active"));
            assertEquals(1, store.segmentSize("blog", "active"));
            assertEquals(1, store.segmentSize(PartitionStore.segmentKey("blog", "active")));
            assertEquals(List.of("blog:a"), store.members("blog", "active", null, 10).userKeys());
            assertEquals(List.of("shop:a", "shop:b"), store.members(PartitionStore.segmentKey("shop", "active"), null, 10).userKeys());
        }
    }

    @Test
    void shouldRefuseCallsAfterCloseInsteadOfTouchingTheClosedDatabase() {
        PartitionStore store = PartitionStore.open(dir, 0);
        store.commit(states(user("a", 1, "s")), Map.of(), 2);
        store.close();
        store.close();

        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.get("shop:a"));
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.members("shop", "s", null, 10));
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.dueUsers(Long.MAX_VALUE - 1, 10));
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.commit(Map.of(), Map.of(), 3));
    }

    @Test
    void shouldIndexEntityDeltasExactlyLikeTheReadBasedCommit() {
        // the same random history of 30 users through commit (which reads what it indexed) and through
        // commitWrites (the caller's before/after memberships and timers): every index must agree
        java.util.Random random = new java.util.Random(7);
        String[] segs = {"s1", "s2", "s3"};
        Map<String, UserState> current = new HashMap<>();
        try (PartitionStore read = PartitionStore.open(dir.resolve("read"), 0);
             PartitionStore delta = PartitionStore.open(dir.resolve("delta"), 0)) {
            for (int round = 1; round <= 20; round++) {
                Map<String, UserState> states = new LinkedHashMap<>();
                List<PartitionStore.UserWrite> writes = new ArrayList<>();
                for (int u = 0; u < 30; u++) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    List<String> in = new ArrayList<>();
                    for (String seg : segs) {
                        if (random.nextBoolean()) {
                            in.add(seg);
                        }
                    }
                    UserState s = user("u" + u, round, in.toArray(new String[0]));
                    long timer = random.nextInt(4) == 0 ? NO_TIMER : T0 + random.nextInt(10) * 1_000L;
                    s.setNextTimerAtMs(timer);
                    UserState before = current.get(s.userKey());
                    writes.add(new PartitionStore.UserWrite(s.userKey(), UserStateCodec.encode(s),
                            before == null ? java.util.Set.of() : java.util.Set.copyOf(before.memberships().keySet()),
                            java.util.Set.copyOf(s.memberships().keySet()),
                            before == null ? NO_TIMER : before.nextTimerAtMs(), timer));
                    states.put(s.userKey(), s);
                    current.put(s.userKey(), s);
                }
                read.commit(states, Map.of(), round, T0 + round * HOUR);
                delta.commitWrites(writes, round, T0 + round * HOUR);

                assertEquals(read.storedNextOffset(), delta.storedNextOffset());
                for (String seg : segs) {
                    long expected = current.values().stream().filter(x -> x.memberships().containsKey(seg)).count();
                    assertEquals(expected, delta.segmentSize("shop", seg), seg + " in round " + round);
                    assertEquals(read.segmentSize("shop", seg), delta.segmentSize("shop", seg));
                    assertEquals(read.members("shop", seg, null, 100).userKeys(), delta.members("shop", seg, null, 100).userKeys());
                    assertEquals(read.sizeHistory("shop", seg, 0, Long.MAX_VALUE), delta.sizeHistory("shop", seg, 0, Long.MAX_VALUE));
                }
                for (long t = T0; t <= T0 + 10_000; t += 1_000) {
                    assertEquals(read.dueUsers(t, 100), delta.dueUsers(t, 100), "due at " + t);
                }
                assertEquals(read.dueUsers(Long.MAX_VALUE - 1, 100), delta.dueUsers(Long.MAX_VALUE - 1, 100));
                for (UserState x : current.values()) {
                    assertArrayEquals(read.getEncoded(x.userKey()).orElseThrow(), delta.getEncoded(x.userKey()).orElseThrow());
                }
            }
        }
    }
}
