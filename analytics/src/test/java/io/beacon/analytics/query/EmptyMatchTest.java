package io.beacon.analytics.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmptyMatchTest {

    @Test
    void shouldFindEveryRegexThatCanMatchTheEmptyStringIncludingOnlyAtSomeAssertions() {
        for (String re : List.of("[0-9]*", "a?", "(x|)", "(|x)", "a*|b", "^", "$", "\\b", "\\B", "(?m)^", "(?m)$", "\\A", "\\z",
                "(?:a|b)*", "x{0}", "x{0,3}", "^$", "\\b\\B?", "(?i)[a-z]*")) {
            assertTrue(EmptyMatch.possible(Pattern.compile(re)), re);
        }
    }

    @Test
    void shouldPassRegexesThatAlwaysConsumeACharacter() {
        for (String re : List.of("[0-9]+", "a", "a|b", "^/product/\\d+", "\\bfoo\\b", "x{1,3}", "(?i)\\?.*'", "/+$", "(a|b)c*",
                "^\\b\\B$a", "\\b\\B")) {
            assertFalse(EmptyMatch.possible(Pattern.compile(re)), re);
        }
    }
}
