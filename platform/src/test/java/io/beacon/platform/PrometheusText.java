package io.beacon.platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 ("Exposition formats", prometheus.io), for tests:
 * client_java writes the format but does not read it. Every line is a {@code # HELP}, a {@code # TYPE} or a sample;
 * a family's TYPE comes before its samples, at most once, and its samples are contiguous; a sample belongs to a
 * typed family (counter: its own name; summary: the name, {@code _count}, {@code _sum}; histogram: {@code _bucket},
 * {@code _count}, {@code _sum}); label values use only the escapes {@code \\}, {@code \"} and {@code \n}; no series
 * appears twice. Anything else throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?[0-9]+))?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern VALUE = Pattern.compile("NaN|[+-]Inf|[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /** One sample: its name as written, its labels (unescaped) and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A family: its type, help and samples in order. */
    record Family(String name, String type, String help, List<Sample> samples) {
        /** The sample named {@code sampleName} with exactly {@code labels}. */
        Sample sample(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName) && s.labels().equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + sampleName + labels + " in " + samples));
        }
    }

    private PrometheusText() {
    }

    /** The families of {@code text}, by name. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String open = null;
        int number = 0;
        String[] lines = text.split("\n", -1);
        for (String line : lines) {
            number++;
            if (line.isEmpty() && number == lines.length) {
                break; // after the last line feed
            }
            String where = "line " + number + " '" + line + "': ";
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), unescapeHelp(m.group(2), where)) != null) {
                    throw new IllegalArgumentException(where + "a second HELP");
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (types.containsKey(name) || samples.containsKey(name)) {
                    throw new IllegalArgumentException(where + "TYPE repeated or after the family's samples");
                }
                types.put(name, m.group(2));
                samples.put(name, new ArrayList<>());
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String family = familyOf(m.group(1), types);
                if (family == null) {
                    throw new IllegalArgumentException(where + "a sample of no typed family");
                }
                if (!family.equals(open)) {
                    if (closed.contains(family)) {
                        throw new IllegalArgumentException(where + "the family's samples are not contiguous");
                    }
                    if (open != null) {
                        closed.add(open);
                    }
                    open = family;
                }
                Map<String, String> labels = labels(m.group(2), where);
                if (!VALUE.matcher(m.group(3)).matches()) {
                    throw new IllegalArgumentException(where + "not a value: " + m.group(3));
                }
                if (!series.add(m.group(1) + labels)) {
                    throw new IllegalArgumentException(where + "a duplicate series");
                }
                if (types.get(family).equals("summary") && m.group(1).equals(family) && !labels.containsKey("quantile")) {
                    throw new IllegalArgumentException(where + "a summary quantile without a quantile label");
                }
                samples.get(family).add(new Sample(m.group(1), labels, value(m.group(3))));
            } else {
                throw new IllegalArgumentException(where + "neither HELP, TYPE nor a sample");
            }
        }
        Map<String, Family> families = new TreeMap<>();
        types.forEach((name, type) -> families.put(name, new Family(name, type, helps.get(name), samples.get(name))));
        return families;
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        if (types.containsKey(sampleName) && !types.get(sampleName).equals("histogram")) {
            return sampleName;
        }
        for (String suffix : List.of("_count", "_sum", "_bucket")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("summary".equals(type) && !suffix.equals("_bucket") || "histogram".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, String where) {
        Map<String, String> labels = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(where + "bad labels at " + at);
            }
            if (labels.put(m.group(1), unescapeLabel(m.group(2))) != null) {
                throw new IllegalArgumentException(where + "label " + m.group(1) + " twice");
            }
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',' || at == text.length() - 1) {
                    throw new IllegalArgumentException(where + "labels not separated by single commas");
                }
                at++;
            }
        }
        return labels;
    }

    private static String unescapeLabel(String value) {
        return unescape(value, true, "");
    }

    private static String unescapeHelp(String help, String where) {
        return unescape(help, false, where);
    }

    /** {@code \\} and {@code \n}, and in label values {@code \"}; any other escape is refused. */
    private static String unescape(String text, boolean quote, String where) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
            switch (next) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case '"' -> {
                    if (!quote) {
                        throw new IllegalArgumentException(where + "HELP escapes only \\\\ and \\n");
                    }
                    sb.append('"');
                }
                default -> throw new IllegalArgumentException(where + "a bad escape \\" + next);
            }
        }
        return sb.toString();
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
