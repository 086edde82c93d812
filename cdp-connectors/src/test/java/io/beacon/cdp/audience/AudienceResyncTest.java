package io.beacon.cdp.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AudienceResyncTest {
    private static final String SUBSCRIPTIONS = "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},"
            + "{\"on\":\"segment_entered\",\"segment\":\"churn\"}]";

    /** Members served in pages of at most {@code pageSize}, with an empty page with a cursor now and then, as partitions give. */
    static final class FakeMembers implements AudienceMembers {
        final Map<String, List<String>> segments = new LinkedHashMap<>();
        final List<String> asked = new ArrayList<>();
        private final int pageSize;

        FakeMembers(int pageSize) {
            this.pageSize = pageSize;
        }

        @Override
        public Page page(String projectId, String segmentId, String cursor, int limit) {
            asked.add(segmentId + "@" + cursor);
            List<String> all = segments.getOrDefault(segmentId, List.of());
            int from = cursor == null ? 0 : Integer.parseInt(cursor.substring(1));
            if (cursor != null && cursor.startsWith("e")) {
                return new Page(List.of(), "p" + from); // an empty partition in between
            }
            int to = Math.min(all.size(), from + Math.min(limit, pageSize));
            String next = to >= all.size() ? null : (to % 2 == 0 ? "e" : "p") + to;
            return new Page(all.subList(from, to), next);
        }
    }

    private static List<String> persons(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static AudienceResync resync(AudienceMembers members, Function<OutboxMessage, CompletionStage<OutboxMessage>> enqueue) {
        return new AudienceResync(members, (project, id) -> id.toUpperCase(), enqueue, () -> 42L);
    }

    private static ResyncPlan plan(String resyncId) {
        return ResyncPlan.of(ResyncPlanTest.crm("crm", "newsletter", SUBSCRIPTIONS), resyncId);
    }

    @Test
    void shouldEnqueueOneAudienceResyncMessagePerMemberOfEachSegmentAcrossPages() {
        FakeMembers members = new FakeMembers(333);
        members.segments.put("vip", persons("v", 1_203));
        members.segments.put("churn", persons("c", 7));
        List<OutboxMessage> sent = new ArrayList<>();
        AudienceResync.Result r = resync(members, m -> {
            sent.add(m);
            return CompletableFuture.completedFuture(m);
        }).run(plan("rs_1"));

        assertEquals("rs_1", r.resyncId());
        assertEquals(Map.of("vip", 1_203L, "churn", 7L), r.segments());
        assertEquals(List.of("vip", "churn"), List.copyOf(r.segments().keySet()));
        assertEquals(1_210, r.enqueued());
        assertEquals(1_210, sent.size());
        Set<String> ids = new HashSet<>();
        for (OutboxMessage m : sent) {
            assertEquals(MessageTypes.AUDIENCE_RESYNC, m.type());
            assertEquals(42L, m.createdAtMs());
            assertEquals("crm", m.destinationId());
            assertEquals(m.data().path("segment").path("id").asText().toUpperCase(), m.data().path("segment").path("name").asText());
            ids.add(m.messageId());
        }
        assertEquals(1_210, ids.size(), "one distinct id per (segment, person)");
        assertEquals(persons("v", 1_203), sent.subList(0, 1_203).stream().map(OutboxMessage::personId).toList());
        assertTrue(members.asked.stream().anyMatch(a -> a.contains("@e")), "the fake served empty pages in between: " + members.asked);
    }

    @Test
    void shouldGiveTheSameIdsWhenRunAgainWithTheSameResyncId() {
        FakeMembers members = new FakeMembers(100);
        members.segments.put("vip", persons("v", 250));
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        resync(members, m -> {
            first.add(m.messageId());
            return CompletableFuture.completedFuture(m);
        }).run(plan("rs_same"));
        resync(members, m -> {
            second.add(m.messageId());
            return CompletableFuture.completedFuture(m);
        }).run(plan("rs_same"));
        assertEquals(250, first.size());
        assertEquals(first, second);
    }

    @Test
    void shouldCountZeroForAnEmptySegment() {
        AudienceResync.Result r = resync(new FakeMembers(10), CompletableFuture::completedFuture).run(plan("rs_1"));
        assertEquals(Map.of("vip", 0L, "churn", 0L), r.segments());
        assertEquals(0, r.enqueued());
    }

    @Test
    void shouldRefuseWithoutAMembersPortAsUnavailable() {
        AudienceResync r = resync(null, CompletableFuture::completedFuture);
        assertFalse(r.available());
        assertThrows(AudienceUnavailableException.class, () -> r.run(plan("rs_1")));
    }

    @Test
    void shouldPassAMovingPartitionOnAsUnavailable() {
        AudienceMembers moving = (project, segment, cursor, limit) -> {
            throw new AudienceUnavailableException("partition 2 is being restored");
        };
        AudienceUnavailableException e = assertThrows(AudienceUnavailableException.class,
                () -> resync(moving, CompletableFuture::completedFuture).run(plan("rs_1")));
        assertEquals("partition 2 is being restored", e.getMessage());
    }

    @Test
    void shouldReportTheResyncIdToRetryWithWhenTheOutboxFails() {
        FakeMembers members = new FakeMembers(100);
        members.segments.put("vip", persons("v", 3));
        OutboxUnavailableException e = assertThrows(OutboxUnavailableException.class, () -> resync(members,
                m -> CompletableFuture.failedFuture(new IllegalStateException("broker down"))).run(plan("rs_9")));
        assertEquals("rs_9", e.resyncId());
        assertTrue(e.getMessage().contains("broker down"), e.getMessage());
    }
}
