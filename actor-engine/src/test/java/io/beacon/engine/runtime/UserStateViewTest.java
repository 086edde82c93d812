package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.engine.state.UserState;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class UserStateViewTest {

    @Test
    void shouldEvaluateRulesAndReadScoresOfTheUserState() {
        UserState s = new UserState("shop", "u1");
        s.setScore("churn_risk", 0.95, 1000);
        UserStateView view = new UserStateView(s);

        assertEquals("shop", view.projectId());
        assertEquals("u1", view.personId());
        assertTrue(view.matches(new Rule.ScoreCondition("churn_risk", Cmp.GTE, 0.9), 2000));
        assertFalse(view.matches(new Rule.ScoreCondition("churn_risk", Cmp.LT, 0.9), 2000));
        assertEquals(OptionalDouble.of(0.95), view.score("churn_risk"));
        assertEquals(OptionalDouble.empty(), view.score("ltv_predicted"));
        assertEquals(Optional.empty(), view.trait("plan"));
        assertEquals(Long.MAX_VALUE, view.nextChangeAtMs(new Rule.LastSeenWithin(Duration.ofDays(1)), 2000));
    }
}
