package io.beacon.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Rule;
import io.beacon.engine.journeys.UserView;
import io.beacon.engine.segments.SegmentEvaluator;
import io.beacon.engine.state.Score;
import io.beacon.engine.state.UserState;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/** {@link UserView} over the engine's {@link UserState}: rules by {@link SegmentEvaluator}, traits and scores as stored. */
public final class UserStateView implements UserView {
    private final UserState state;

    public UserStateView(UserState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    @Override
    public String projectId() {
        return state.projectId();
    }

    @Override
    public String personId() {
        return state.personId();
    }

    @Override
    public boolean matches(Rule rule, long nowMs) {
        return SegmentEvaluator.matches(rule, state, nowMs);
    }

    @Override
    public long nextChangeAtMs(Rule rule, long nowMs) {
        return SegmentEvaluator.nextChangeAtMs(rule, state, nowMs);
    }

    @Override
    public Optional<JsonNode> trait(String name) {
        JsonNode v = state.traits().get(name);
        return v == null || v.isNull() || v.isMissingNode() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public OptionalDouble score(String name) {
        Score s = state.scores().get(name);
        return s == null ? OptionalDouble.empty() : OptionalDouble.of(s.value());
    }
}
