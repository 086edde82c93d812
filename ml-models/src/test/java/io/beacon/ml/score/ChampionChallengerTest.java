package io.beacon.ml.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChampionChallengerTest {

    @Test
    void shouldHashAsGrowthBookVersionTwo() {
        // values from abtest's GrowthBookHash.hashOrNaN(seed, id, 2)
        assertEquals(0.0858, ChampionChallenger.bucket("beacon-ml-challenger:p1", "user-1"), 1e-12);
        assertEquals(0.7285, ChampionChallenger.bucket("beacon-ml-challenger:p1", "user-2"), 1e-12);
        assertEquals(0.1233, ChampionChallenger.bucket("beacon-ml-challenger:demo", "alice"), 1e-12);
    }

    @Test
    void shouldDecideByTheBucketAndShare() {
        assertTrue(ChampionChallenger.challengerScores("p1", "user-1", 0.1));
        assertFalse(ChampionChallenger.challengerScores("p1", "user-2", 0.5));
        assertFalse(ChampionChallenger.challengerScores("p1", "user-1", 0));
        assertTrue(ChampionChallenger.challengerScores("p1", "user-2", 1));
    }

    @Test
    void shouldGiveTheChallengerAboutItsShare() {
        int n = 20_000;
        int in = 0;
        for (int i = 0; i < n; i++) {
            in += ChampionChallenger.challengerScores("p1", "person-" + i, 0.2) ? 1 : 0;
        }
        assertEquals(0.2, in / (double) n, 0.015);
    }
}
