package io.beacon.dq.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    @Test
    void shouldNameTheIdsNeitherStoredNorDeadLetteredAndCountCopiesAndUsers() {
        Map<String, Integer> raw = new HashMap<>();
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            raw.put("e" + (char) ('a' + i % 26) + i, i < 5 ? 2 : 1); // five ids sent twice
            users.put("e" + (char) ('a' + i % 26) + i, "u" + (i % 10));
        }
        Set<String> dead = Set.of("ea0", "other-project-id");
        Set<String> stored = new TreeSet<>(raw.keySet());
        stored.removeAll(List.of("ea0", "eb1", "ec2", "ed3"));
        stored.add("replayed");

        Reconciliation r = Reconciliation.of(raw, users, dead, stored, 10, 35, 2);

        assertEquals(35, r.acceptedRecords());
        assertEquals(30, r.acceptedIds());
        assertEquals(5, r.duplicateCopies());
        assertEquals(1, r.deadLettered(), "a DLQ id outside the window is not counted");
        assertEquals(26, r.stored());
        assertEquals(3, r.missing());
        assertEquals(List.of("eb1", "ec2"), r.missingSample(), "the first ids in order, up to the sample size");
        assertEquals(1, r.unexpected());
        assertEquals(0.0, r.counterDiff());
        assertEquals(10, r.rawUsers(), "users of the ids not dead-lettered");
        assertEquals(0.0, r.usersDiff());
        assertTrue(r.alert(0.01));
    }

    @Test
    void shouldAlertOnACounterOffItsRecomputationByMoreThanTheThreshold() {
        Map<String, Integer> raw = new HashMap<>();
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            raw.put("id" + i, 1);
            users.put("id" + i, "u" + i);
        }
        Set<String> stored = raw.keySet();
        assertFalse(Reconciliation.of(raw, users, Set.of(), stored, 200, 201, 5).alert(0.01), "0.5 % off");
        Reconciliation off = Reconciliation.of(raw, users, Set.of(), stored, 200, 204, 5);
        assertEquals(0.02, off.counterDiff(), 1e-12);
        assertTrue(off.alert(0.01));
        Reconciliation users2 = Reconciliation.of(raw, users, Set.of(), stored, 190, 200, 5);
        assertEquals(0.05, users2.usersDiff(), 1e-12);
        assertTrue(users2.alert(0.01));
    }
}
