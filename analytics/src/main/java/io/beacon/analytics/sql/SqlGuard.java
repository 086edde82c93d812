package io.beacon.analytics.sql;

import io.beacon.analytics.query.SqlLiterals;
import io.beacon.event.RefusedException;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks console SQL and pins it to one project (pure). The SQL is split into tokens with ClickHouse's lexical
 * rules (strings {@code '…'} with backslash escapes and doubled quotes, identifiers bare or in back-quotes or
 * double quotes, numbers, operators); then:
 * <ul>
 *   <li>the first token is {@code SELECT} or {@code WITH}; one statement (a {@code ;} only at the end);</li>
 *   <li>no comments ({@code --}, {@code /*}, {@code #}), no characters outside printable ASCII outside quotes,
 *       no {@code {}} / {@code $} / {@code @} / {@code \} (query parameters, heredocs);</li>
 *   <li>none of the bare words {@code INTO OUTFILE FORMAT SETTINGS FINAL SAMPLE} (so no {@code INTO OUTFILE},
 *       output format or setting override);</li>
 *   <li>after {@code FROM} or {@code JOIN} (not {@code ARRAY JOIN}) comes either {@code (} or one of the exposed
 *       names ({@link #TABLES}) not followed by {@code .} or {@code (} — so no other table, database,
 *       {@code system.*} or table function — and a {@code FROM} list has no comma (cross joins by {@code JOIN});</li>
 *   <li>after {@code IN} comes {@code (} and then a subquery, a literal or a function call — never a bare name,
 *       which ClickHouse would read as a table;</li>
 *   <li>no function that reads tables, dictionaries or files or sleeps ({@link #FORBIDDEN_FUNCTIONS}, any
 *       {@code dict*}).</li>
 * </ul>
 * Each exposed name is then replaced by a subquery over the real table restricted to
 * {@code project_id = '<project>'}, aliased to the name (or to the user's alias). The statement is finally run
 * with {@code readonly=1}, which also refuses table functions and writes on the server side.
 */
public final class SqlGuard {
    public static final int MAX_LENGTH = 20_000;

    /** The names console SQL may read, and what each exposes. */
    public static final Set<String> TABLES = Set.of("events", "persons", "sessions", "person_distinct_ids", "cohort_members");

    static final Set<String> FORBIDDEN_WORDS = Set.of("into", "outfile", "format", "settings", "final", "sample");
    static final Set<String> FORBIDDEN_FUNCTIONS = Set.of("notin", "globalin", "globalnotin", "nullin", "notnullin",
            "globalnullin", "globalnotnullin", "inignoreset", "notinignoreset", "globalinignoreset", "globalnotinignoreset",
            "joinget", "joingetornull", "hascolumnintable", "sleep", "sleepeachrow", "file", "url", "remote", "remotesecure",
            "cluster", "clusterallreplicas", "merge", "numbers", "numbers_mt", "zeros", "zeros_mt", "mysql", "jdbc", "odbc", "hdfs",
            "s3", "input", "generaterandom", "postgresql", "sqlite", "executable", "view", "values", "getsetting", "filesystemavailable",
            "filesystemfree", "filesystemcapacity", "getmacro", "currentuser", "initialqueryid", "queryid", "throwif");
    /** Words after which a name is a table alias, not the user's own alias. */
    private static final Set<String> CLAUSE_WORDS = Set.of("where", "prewhere", "group", "order", "limit", "having", "join", "inner",
            "left", "right", "full", "cross", "any", "all", "array", "global", "union", "using", "on", "asof", "semi", "anti", "with",
            "paste", "outer", "natural", "window", "qualify", "except", "intersect", "by");

    enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL }

    record Token(Kind kind, String text, String value, int start, int end) {
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean symbol(String s) {
            return kind == Kind.SYMBOL && text.equals(s);
        }

        boolean name() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }
    }

    private SqlGuard() {
    }

    /**
     * The SQL to run for {@code projectId}: checked, and with every exposed name replaced by its pinned subquery.
     *
     * @throws RefusedException invalid, with a code ({@code SQL_…}) and field {@code sql}, when refused
     */
    public static String pin(String sql, String projectId) {
        if (sql == null || sql.isBlank()) {
            throw refuse("SQL_EMPTY", "the SQL is empty");
        }
        if (sql.length() > MAX_LENGTH) {
            throw refuse("SQL_TOO_LONG", "the SQL is longer than " + MAX_LENGTH + " characters");
        }
        List<Token> tokens = tokens(sql);
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).symbol(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            throw refuse("SQL_EMPTY", "the SQL is empty");
        }
        if (!tokens.get(0).is("select") && !tokens.get(0).is("with")) {
            throw refuse("SQL_NOT_SELECT", "only a SELECT (or WITH … SELECT) statement is allowed");
        }
        Map<String, String> views = views(projectId);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        List<Integer> fromDepths = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.symbol(";")) {
                throw refuse("SQL_MULTIPLE_STATEMENTS", "one statement only");
            }
            if (t.symbol("(") || t.symbol("[")) {
                depth++;
            } else if (t.symbol(")") || t.symbol("]")) {
                depth--;
                int closed = depth;
                fromDepths.removeIf(d -> d > closed);
            }
            if (t.name()) {
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                String f = t.value.toLowerCase(Locale.ROOT);
                if (next != null && next.symbol("(") && (FORBIDDEN_FUNCTIONS.contains(f) || f.startsWith("dict"))) {
                    throw refuse("SQL_FUNCTION_NOT_ALLOWED", "the function '" + printable(t.text) + "' is not allowed in the console");
                }
                if (f.equals("in") && (t.kind == Kind.WORD || next != null && next.symbol("("))) {
                    // The IN operator and the in(…) function alike: never a bare name inside (ClickHouse reads it as a table).
                    checkIn(tokens, i);
                }
            }
            if (t.kind == Kind.WORD) {
                String w = t.text.toLowerCase(Locale.ROOT);
                if (FORBIDDEN_WORDS.contains(w)) {
                    throw refuse("SQL_FORBIDDEN_KEYWORD", "'" + t.text + "' is not allowed in the console");
                }
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                boolean arrayJoin = w.equals("join") && i > 0 && tokens.get(i - 1).is("array");
                if (w.equals("from") || (w.equals("join") && !arrayJoin)) {
                    if (w.equals("from")) {
                        fromDepths.add(depth);
                    }
                    if (next == null) {
                        throw refuse("SQL_SYNTAX", "'" + t.text + "' needs a table");
                    }
                    if (next.symbol("(")) {
                        continue;
                    }
                    String name = next.name() ? next.value : null;
                    Token after = i + 2 < tokens.size() ? tokens.get(i + 2) : null;
                    if (name == null || !TABLES.contains(name) || (after != null && (after.symbol(".") || after.symbol("(")))) {
                        throw refuse("SQL_TABLE_NOT_ALLOWED", "only these tables can be read: " + String.join(", ", TABLES.stream().sorted().toList())
                                + " (found '" + printable(next.text) + "')");
                    }
                    boolean aliased = after != null && (after.is("as") || (after.name() && !(after.kind == Kind.WORD
                            && CLAUSE_WORDS.contains(after.text.toLowerCase(Locale.ROOT)))));
                    out.append(sql, copied, next.start).append("(").append(views.get(name)).append(")");
                    if (!aliased) {
                        out.append(" AS ").append(name);
                    }
                    copied = next.end;
                    i++;
                    continue;
                }
            }
            if (t.symbol(",") && !fromDepths.isEmpty() && fromDepths.get(fromDepths.size() - 1) == depth && inFromList(tokens, i, depth)) {
                throw refuse("SQL_TABLE_NOT_ALLOWED", "a FROM list has one table; combine tables with JOIN");
            }
        }
        out.append(sql, copied, tokens.get(tokens.size() - 1).end);
        return out.toString();
    }

    /** Whether the comma at {@code index} belongs to the FROM list opened last at {@code depth} (no clause word in between). */
    private static boolean inFromList(List<Token> tokens, int index, int depth) {
        int d = depth;
        for (int j = index - 1; j >= 0; j--) {
            Token t = tokens.get(j);
            if (t.symbol(")") || t.symbol("]")) {
                d++;
            } else if (t.symbol("(") || t.symbol("[")) {
                d--;
                if (d < depth) {
                    return false;
                }
            } else if (d == depth && t.kind == Kind.WORD) {
                String w = t.text.toLowerCase(Locale.ROOT);
                if (w.equals("from")) {
                    return true;
                }
                if (Set.of("where", "prewhere", "group", "order", "limit", "having", "select", "join", "using", "on", "by", "union").contains(w)) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * After {@code IN}: {@code (}, then top-level elements none of which is a bare (possibly dotted, possibly
     * aliased, possibly parenthesized) name — ClickHouse reads {@code x IN t}, {@code x IN (t)} and
     * {@code in(x, t)} as reading table {@code t}. Subqueries, literals, expressions and function calls pass.
     */
    private static void checkIn(List<Token> tokens, int i) {
        int open = i + 1;
        if (open >= tokens.size() || !tokens.get(open).symbol("(")) {
            throw refuse("SQL_IN_TABLE", "IN needs a parenthesized list or subquery: IN (SELECT …) or IN ('a', 'b')");
        }
        int depth = 0;
        int elementStart = open + 1;
        for (int j = open; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.symbol("(") || t.symbol("[")) {
                depth++;
            } else if (t.symbol(")") || t.symbol("]")) {
                depth--;
                if (depth == 0) {
                    checkInElement(tokens, elementStart, j);
                    return;
                }
            } else if (t.symbol(",") && depth == 1) {
                checkInElement(tokens, elementStart, j);
                elementStart = j + 1;
            }
        }
        throw refuse("SQL_SYNTAX", "unbalanced parentheses after IN");
    }

    private static void checkInElement(List<Token> tokens, int from, int to) {
        int a = from;
        int b = to;
        while (b - a >= 2 && tokens.get(a).symbol("(") && tokens.get(b - 1).symbol(")")) {
            a++;
            b--;
        }
        if (a >= b) {
            return;
        }
        Token first = tokens.get(a);
        if (first.is("select") || first.is("with") || b - a == 1 && (first.is("null") || first.is("true") || first.is("false"))) {
            return;
        }
        boolean bareName = true;
        for (int k = a; k < b; k++) {
            Token t = tokens.get(k);
            if (!(t.name() || t.symbol("."))) {
                bareName = false;
                break;
            }
        }
        if (bareName) {
            throw refuse("SQL_IN_TABLE", "IN takes literals, expressions or a subquery, not a bare name (ClickHouse would read it as a table)");
        }
    }

    /** The pinned subquery of each exposed name. */
    static Map<String, String> views(String projectId) {
        String p = SqlLiterals.string(projectId);
        return Map.of(
                "events", "SELECT *, " + MigrationCatalog.resolvedPerson("if(person_id = '', distinct_id, person_id)")
                        + " AS resolved_person_id FROM " + MigrationCatalog.EVENTS + " FINAL WHERE project_id = " + p,
                "sessions", "SELECT *, " + MigrationCatalog.resolvedPerson("person_id") + " AS resolved_person_id FROM "
                        + MigrationCatalog.SESSIONS + " FINAL WHERE project_id = " + p + " AND is_deleted = 0",
                "persons", "SELECT resolved_person_id, key, argMax(v, ver) AS value, max(ver) AS version FROM (SELECT key, value AS v, version AS ver, "
                        + MigrationCatalog.resolvedPerson("person_id") + " AS resolved_person_id, project_id FROM " + MigrationCatalog.PERSONS
                        + " WHERE project_id = " + p + ") GROUP BY resolved_person_id, key",
                "person_distinct_ids", "SELECT distinct_id, argMax(person_id, version) AS person_id FROM " + MigrationCatalog.PERSON_DISTINCT_IDS
                        + " WHERE project_id = " + p + " GROUP BY distinct_id",
                "cohort_members", "SELECT cohort_id, version, person_id FROM " + MigrationCatalog.COHORT_MEMBERS + " WHERE project_id = " + p
                        + " AND person_id != ''");
    }

    // ---- lexer ---------------------------------------------------------------------------------

    static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '/' && i + 1 < n && sql.charAt(i + 1) == '*' || c == '#') {
                throw refuse("SQL_COMMENT", "comments are not allowed in the console");
            }
            int start = i;
            if (c == '\'' || c == '"' || c == '`') {
                StringBuilder v = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (d == '\\') {
                        if (i + 1 >= n) {
                            break;
                        }
                        v.append(sql.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (d == c) {
                        if (i + 1 < n && sql.charAt(i + 1) == c) {
                            v.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        closed = true;
                        break;
                    }
                    v.append(d);
                    i++;
                }
                if (!closed) {
                    throw refuse("SQL_SYNTAX", "unterminated quote starting at character " + (start + 1));
                }
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_NAME, sql.substring(start, i), v.toString(), start, i));
                continue;
            }
            if (isWordStart(c)) {
                while (i < n && isWordPart(sql.charAt(i))) {
                    i++;
                }
                String w = sql.substring(start, i);
                out.add(new Token(Kind.WORD, w, w, start, i));
                continue;
            }
            if (c >= '0' && c <= '9' || c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)) && !(prevIsName(out))) {
                if (c == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
                    i += 2;
                    while (i < n && "0123456789abcdefABCDEF".indexOf(sql.charAt(i)) >= 0) {
                        i++;
                    }
                } else {
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                    if (i < n && sql.charAt(i) == '.') {
                        i++;
                        while (i < n && Character.isDigit(sql.charAt(i))) {
                            i++;
                        }
                    }
                    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
                        int k = i + 1;
                        if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                            k++;
                        }
                        if (k < n && Character.isDigit(sql.charAt(k))) {
                            i = k;
                            while (i < n && Character.isDigit(sql.charAt(i))) {
                                i++;
                            }
                        }
                    }
                }
                if (i < n && isWordPart(sql.charAt(i))) {
                    throw refuse("SQL_SYNTAX", "a number runs into a name at character " + (i + 1));
                }
                out.add(new Token(Kind.NUMBER, sql.substring(start, i), sql.substring(start, i), start, i));
                continue;
            }
            if (c < 32 || c > 126 || "{}$@\\".indexOf(c) >= 0) {
                throw refuse("SQL_CHARACTER", "character " + (i + 1) + " (" + (c < 32 || c > 126 ? "U+" + String.format("%04X", (int) c) : String.valueOf(c))
                        + ") is not allowed outside quotes");
            }
            // Two-character operators first.
            String two = i + 1 < n ? sql.substring(i, i + 2) : "";
            if (List.of("->", "<=", ">=", "!=", "<>", "==", "||").contains(two)) {
                out.add(new Token(Kind.SYMBOL, two, two, i, i + 2));
                i += 2;
                continue;
            }
            out.add(new Token(Kind.SYMBOL, String.valueOf(c), String.valueOf(c), i, i + 1));
            i++;
        }
        return out;
    }

    private static boolean prevIsName(List<Token> out) {
        if (out.isEmpty()) {
            return false;
        }
        Token t = out.get(out.size() - 1);
        return t.name() || t.symbol(")") || t.symbol("]");
    }

    private static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || c >= '0' && c <= '9';
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static RefusedException refuse(String code, String message) {
        return new RefusedException(RefusedException.Kind.INVALID, code, message, "sql");
    }
}
