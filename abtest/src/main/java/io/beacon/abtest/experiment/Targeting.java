package io.beacon.abtest.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Who is eligible.
 *
 * @param condition a GrowthBook/MongoDB-style condition on the unit's attributes (e.g.
 *                  {@code {"country":{"$in":["US","CA"]},"plan":"pro"}}); {@code null} = everyone
 * @param segments  segment ids; the unit must be in at least one (read from its {@code segments} attribute)
 */
public record Targeting(JsonNode condition, List<String> segments) {
}
