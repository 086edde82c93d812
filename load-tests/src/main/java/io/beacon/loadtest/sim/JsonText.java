package io.beacon.loadtest.sim;

/**
 * A minimal JSON object writer over a {@link StringBuilder}: the simulator writes hundreds of
 * thousands of items per second, and a tree model per event would dominate the load generator's
 * own CPU use. Field order is insertion order; strings are escaped per RFC 8259 section 7.
 */
final class JsonText {
    private final StringBuilder out;
    private boolean first = true;

    private JsonText(StringBuilder out) {
        this.out = out;
        out.append('{');
    }

    static JsonText object(StringBuilder out) {
        return new JsonText(out);
    }

    JsonText field(String name, String value) {
        if (value == null) {
            return this;
        }
        name(name);
        string(out, value);
        return this;
    }

    JsonText field(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    JsonText field(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A decimal with exactly two fraction digits from an amount in cents, e.g. {@code 1999 -> 19.99}. */
    JsonText cents(String name, long cents) {
        name(name);
        if (cents < 0) {
            out.append('-');
            cents = -cents;
        }
        out.append(cents / 100).append('.');
        long frac = cents % 100;
        if (frac < 10) {
            out.append('0');
        }
        out.append(frac);
        return this;
    }

    /** Starts a nested object; close it with {@link #end()} on the returned writer. */
    JsonText object(String name) {
        name(name);
        return new JsonText(out);
    }

    JsonText end() {
        out.append('}');
        return this;
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, name);
        out.append(':');
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
