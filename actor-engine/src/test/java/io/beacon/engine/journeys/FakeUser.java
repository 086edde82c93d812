package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.TraitOp;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** A {@link UserView} over plain maps: trait rules {@code eq}/{@code neq}/{@code is_set}, score rules, and/or/not. */
final class FakeUser implements UserView {
    private final String personId;
    final Map<String, JsonNode> traits = new HashMap<>();
    final Map<String, Double> scores = new HashMap<>();
    /** What {@link #nextChangeAtMs} answers for every rule. */
    long nextChangeAtMs = Long.MAX_VALUE;

    FakeUser(String personId) {
        this.personId = personId;
    }

    FakeUser trait(String name, String value) {
        traits.put(name, JsonNodeFactory.instance.textNode(value));
        return this;
    }

    FakeUser score(String name, double value) {
        scores.put(name, value);
        return this;
    }

    @Override
    public String projectId() {
        return "shop";
    }

    @Override
    public String personId() {
        return personId;
    }

    @Override
    public boolean matches(Rule rule, long nowMs) {
        if (rule instanceof Rule.And and) {
            return and.rules().stream().allMatch(r -> matches(r, nowMs));
        }
        if (rule instanceof Rule.Or or) {
            return or.rules().stream().anyMatch(r -> matches(r, nowMs));
        }
        if (rule instanceof Rule.Not not) {
            return !matches(not.rule(), nowMs);
        }
        if (rule instanceof Rule.TraitCondition t) {
            JsonNode v = traits.get(t.trait());
            if (t.op() == TraitOp.IS_SET) {
                return v != null;
            }
            boolean eq = v != null && v.asText().equals(t.value().asText());
            if (t.op() == TraitOp.EQ) {
                return eq;
            }
            if (t.op() == TraitOp.NEQ) {
                return !eq;
            }
        }
        if (rule instanceof Rule.ScoreCondition s) {
            Double v = scores.get(s.score());
            return v != null && s.op().test(v, s.value());
        }
        throw new IllegalArgumentException("the fake does not evaluate " + rule);
    }

    @Override
    public long nextChangeAtMs(Rule rule, long nowMs) {
        return nextChangeAtMs;
    }

    @Override
    public Optional<JsonNode> trait(String name) {
        return Optional.ofNullable(traits.get(name));
    }

    @Override
    public OptionalDouble score(String name) {
        Double v = scores.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
