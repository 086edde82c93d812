package io.beacon.warehouse.clickhouse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses ClickHouse's {@code JSONCompact} output (run with {@code output_format_json_quote_64bit_integers=0}
 * and {@code output_format_json_quote_denormals=1}) into a {@link QueryResult} whose values have the same
 * text as {@code TabSeparatedWithNames} would give — numbers as written by the server, {@code nan}/{@code inf},
 * arrays as {@code ['a\'b',1]}, tuples as {@code (1,'a')}, {@code null} for NULL — plus the
 * {@code statistics} block. Streaming, so a number keeps the server's exact text.
 */
final class JsonCompact {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonCompact() {
    }

    public static MeasuredResult parse(InputStream in) {
        try (JsonParser p = FACTORY.createParser(in)) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            long rowsRead = 0;
            long bytesRead = 0;
            double elapsed = 0;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not a JSONCompact answer");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                switch (field) {
                    case "meta" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String name = null;
                            String type = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.getCurrentName();
                                p.nextToken();
                                if (f.equals("name")) {
                                    name = p.getText();
                                } else if (f.equals("type")) {
                                    type = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            names.add(name);
                            types.add(type);
                        }
                    }
                    case "data" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> row = new ArrayList<>(names.size());
                            int i = 0;
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                row.add(topValue(p, types.get(i++)));
                            }
                            rows.add(row);
                        }
                    }
                    case "statistics" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.getCurrentName();
                            p.nextToken();
                            switch (f) {
                                case "rows_read" -> rowsRead = Long.parseLong(p.getText());
                                case "bytes_read" -> bytesRead = Long.parseLong(p.getText());
                                case "elapsed" -> elapsed = Double.parseDouble(p.getText());
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new MeasuredResult(new QueryResult(names, rows), rowsRead, bytesRead, elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a JSONCompact answer", e);
        }
    }

    private static String topValue(JsonParser p, String type) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            return denormal(p.getText());
        }
        if (t == JsonToken.START_ARRAY) {
            StringBuilder sb = new StringBuilder();
            nested(p, unwrapNullable(type), sb);
            return sb.toString();
        }
        return p.getText();
    }

    /** Writes the array/tuple the parser is at (START_ARRAY) in ClickHouse's text form. */
    private static void nested(JsonParser p, String type, StringBuilder sb) throws IOException {
        boolean tuple = type.startsWith("Tuple(");
        List<String> elementTypes = tuple ? splitArgs(type.substring(6, type.length() - 1))
                : List.of(type.startsWith("Array(") ? unwrapNullable(type.substring(6, type.length() - 1)) : "String");
        sb.append(tuple ? '(' : '[');
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (i > 0) {
                sb.append(',');
            }
            String et = unwrapNullable(tuple ? elementTypes.get(Math.min(i, elementTypes.size() - 1)) : elementTypes.get(0));
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                sb.append("NULL");
            } else if (t == JsonToken.START_ARRAY) {
                nested(p, et, sb);
            } else if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                if (isNumeric(et)) {
                    sb.append(denormal(s));
                } else {
                    quote(s, sb);
                }
            } else {
                sb.append(p.getText());
            }
            i++;
        }
        sb.append(tuple ? ')' : ']');
    }

    private static boolean isNumeric(String type) {
        return type.startsWith("Int") || type.startsWith("UInt") || type.startsWith("Float") || type.startsWith("Decimal");
    }

    private static String denormal(String s) {
        return s.equals("-nan") ? "nan" : s;
    }

    private static String unwrapNullable(String type) {
        return type.startsWith("Nullable(") ? type.substring(9, type.length() - 1) : type;
    }

    /** Top-level comma-separated arguments of a type list ({@code UInt8, Array(Tuple(A, B)), String}). */
    static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(args.substring(start).strip());
        return out;
    }

    /**
     * A string element as {@link TabSeparated} reads it back: ClickHouse writes it quoted and escaped inside
     * the array text, and the TabSeparated reader unescapes the whole field, so the quotes stay and the
     * content is raw.
     */
    private static void quote(String s, StringBuilder sb) {
        sb.append('\'').append(s).append('\'');
    }
}
