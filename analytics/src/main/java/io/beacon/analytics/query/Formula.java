package io.beacon.analytics.query;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A formula between series, evaluated in Java per bucket (never sent to ClickHouse): letters
 * {@code A}…{@code T} name the series in order, with {@code + - * /}, unary minus, parentheses and
 * decimal numbers. Division by zero yields {@code null} (no value), as does any operation on {@code null}.
 */
public final class Formula {
    private final String text;
    private final Node root;

    private Formula(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code text}; every letter must be one of {@code letters}. */
    public static Formula parse(String text, Set<String> letters, String field) {
        if (text == null || text.isBlank() || text.length() > 200) {
            throw new InvalidQueryException(field, "must be an expression of 1–200 characters such as 'A / B'");
        }
        Parser p = new Parser(text, letters, field);
        Node n = p.expression();
        p.skipSpaces();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' at position " + p.pos);
        }
        return new Formula(text, n);
    }

    public String text() {
        return text;
    }

    /** The value for the series values {@code values} (letter → value, null when unknown). */
    public Double evaluate(Map<String, Double> values) {
        return root.eval(values);
    }

    private interface Node {
        Double eval(Map<String, Double> v);
    }

    private static final class Parser {
        final String s;
        final Set<String> letters;
        final String field;
        int pos;

        Parser(String s, Set<String> letters, String field) {
            this.s = s;
            this.letters = letters;
            this.field = field;
        }

        InvalidQueryException error(String msg) {
            return new InvalidQueryException(field, msg);
        }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        Node expression() {
            Node left = term();
            while (true) {
                skipSpaces();
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    char op = s.charAt(pos++);
                    Node l = left;
                    Node r = term();
                    left = v -> {
                        Double a = l.eval(v);
                        Double b = r.eval(v);
                        return a == null || b == null ? null : op == '+' ? a + b : a - b;
                    };
                } else {
                    return left;
                }
            }
        }

        Node term() {
            Node left = factor();
            while (true) {
                skipSpaces();
                if (pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/')) {
                    char op = s.charAt(pos++);
                    Node l = left;
                    Node r = factor();
                    left = v -> {
                        Double a = l.eval(v);
                        Double b = r.eval(v);
                        if (a == null || b == null) {
                            return null;
                        }
                        if (op == '*') {
                            return a * b;
                        }
                        return b == 0 ? null : a / b;
                    };
                } else {
                    return left;
                }
            }
        }

        Node factor() {
            skipSpaces();
            if (pos >= s.length()) {
                throw error("unexpected end of formula");
            }
            char c = s.charAt(pos);
            if (c == '-') {
                pos++;
                Node inner = factor();
                return v -> {
                    Double a = inner.eval(v);
                    return a == null ? null : -a;
                };
            }
            if (c == '(') {
                pos++;
                Node inner = expression();
                skipSpaces();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw error("missing ')'");
                }
                pos++;
                return inner;
            }
            if (c >= 'A' && c <= 'Z') {
                String letter = String.valueOf(c);
                pos++;
                if (!letters.contains(letter)) {
                    throw error("series " + letter + " does not exist (series are " + String.join(", ", new TreeSet<>(letters)) + ")");
                }
                return v -> v.get(letter);
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                try {
                    double d = Double.parseDouble(s.substring(start, pos));
                    return v -> d;
                } catch (NumberFormatException e) {
                    throw error("bad number '" + s.substring(start, pos) + "'");
                }
            }
            throw error("unexpected '" + PropertyRef.printable(String.valueOf(c)) + "' at position " + pos);
        }
    }
}
