package io.beacon.analytics.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a regular expression can match the empty string somewhere. ClickHouse's {@code replaceRegexpAll}
 * treats such matches differently by version ({@code replaceRegexpAll('a1', '[0-9]*', 'N')} replaces once on
 * 18.16 and at every position on 26.x), so path-cleaning rules that can match empty are refused.
 *
 * <p>Exact for the RE2 syntax the parser admits: an empty match consumes nothing, so only zero-width
 * assertions ({@code ^ $ \A \z \b \B}) decide it, and they look at one character on each side — start/end,
 * a word character, another character, a newline. Every such pair occurs at some position of the strings of
 * length ≤ 2 over {@code {a, -, \n}}, and at each position the regex is asked to match exactly the empty
 * region, with bounds transparent to the assertions.
 */
public final class EmptyMatch {

    private static final List<String> PROBES = probes();

    private EmptyMatch() {
    }

    /** Whether {@code regex} (valid Java syntax) matches the empty string at some position of some text. */
    public static boolean possible(Pattern regex) {
        for (String probe : PROBES) {
            Matcher m = regex.matcher(probe).useTransparentBounds(true).useAnchoringBounds(false);
            for (int i = 0; i <= probe.length(); i++) {
                m.region(i, i);
                if (m.matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> probes() {
        String[] symbols = {"a", "-", "\n"};
        List<String> out = new ArrayList<>();
        out.add("");
        for (String x : symbols) {
            out.add(x);
            for (String y : symbols) {
                out.add(x + y);
            }
        }
        return List.copyOf(out);
    }
}
