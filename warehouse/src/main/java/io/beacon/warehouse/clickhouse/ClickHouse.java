package io.beacon.warehouse.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandResponse;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.beacon.warehouse.ClickHouseSettings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Beacon's one way to talk to ClickHouse: DDL, text queries, JSONEachRow inserts and health checks over
 * {@code com.clickhouse:client-v2} (HTTP).
 *
 * <p>Written for ClickHouse 18.16 as well as current servers (STACK-NOTES.md, "ClickHouse"): HTTP
 * compression is off in both directions; results are always requested with a {@code FORMAT} clause in
 * the SQL because 18.16 ignores the client's format header; results are read as
 * {@code TabSeparatedWithNames}, never through the client's binary readers (which need
 * {@code RowBinaryWithNamesAndTypes}, absent in 18.16); inserts are {@code JSONEachRow}, which 18.16
 * parses reliably. Note that 18.16 does <em>not</em> fill omitted JSONEachRow fields from the column's
 * {@code DEFAULT} expression (it uses the type's zero value), so writers send every column.
 *
 * <p>Every statement runs in {@link #database()} unless it names another database. Failures surface as
 * {@link WarehouseException} carrying the server's message. Thread-safe; one instance per process is
 * enough. Close it to release its connection pool.
 */
public final class ClickHouse implements AutoCloseable {

    private static final Pattern TRAILING_FORMAT = Pattern.compile("(?is).*\\bFORMAT\\s+[A-Za-z]+\\s*;?\\s*$");
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final int STATEMENT_PREVIEW = 200;

    private final ClickHouseSettings settings;
    private final Client client;
    /** {@code SELECT version()}, read once on first need (start-up log, error messages). */
    private volatile String version;

    private ClickHouse(ClickHouseSettings settings, Client client) {
        this.settings = settings;
        this.client = client;
    }

    /** A client for {@code settings}; does not contact the server yet (use {@link #ping()}). */
    public static ClickHouse connect(ClickHouseSettings settings) {
        Client client = new Client.Builder()
                .addEndpoint(settings.url())
                .setUsername(settings.user())
                .setPassword(settings.password())
                // 18.16 ignores the X-ClickHouse-Database header the client would send for
                // setDefaultDatabase; the "database" URL parameter works on every version.
                .serverSetting("database", settings.database())
                // Basic auth rather than X-ClickHouse-User/-Key headers: understood by every version.
                .useHTTPBasicAuth(true)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .setSocketTimeout(settings.socketTimeout().toMillis(), ChronoUnit.MILLIS)
                .setConnectTimeout(Math.min(settings.socketTimeout().toMillis(), 5_000), ChronoUnit.MILLIS)
                // Retries are the caller's decision (the sink retries whole batches with backoff).
                .setMaxRetries(0)
                // A pooled connection idle longer than the server's keep_alive_timeout (3 s by default, 18.16 and
                // current) is closed by the server; reusing it answered NoHttpResponse → a 502 of the SQL API in the
                // console's browser test. Keep idle connections for less than that.
                .setKeepAliveTimeout(2, ChronoUnit.SECONDS)
                .setClientName("beacon-warehouse")
                .build();
        return new ClickHouse(settings, client);
    }

    /** The database statements run in. */
    public String database() {
        return settings.database();
    }

    /** The settings this client was built from. */
    public ClickHouseSettings settings() {
        return settings;
    }

    /**
     * Runs a statement without result (DDL, {@code INSERT … SELECT}, {@code OPTIMIZE}) in {@link #database()}.
     *
     * @throws WarehouseException with the server's message when it fails
     */
    public void execute(String sql) {
        try (CommandResponse ignored = await(client.execute(sql, new CommandSettings()), sql)) {
            // Nothing to read: success is the absence of an exception.
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e, sql);
        }
    }

    /**
     * Runs a statement in the server's {@code default} database, for statements that must work before
     * {@link #database()} exists ({@code CREATE DATABASE}).
     */
    public void executeOutsideDatabase(String sql) {
        CommandSettings outside = new CommandSettings();
        outside.serverSetting("database", "default");
        try (CommandResponse ignored = await(client.execute(sql, outside), sql)) {
            // Nothing to read.
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e, sql);
        }
    }

    /**
     * Runs a query and returns its rows as text. The SQL must not carry its own {@code FORMAT} clause:
     * {@code FORMAT TabSeparatedWithNames} is appended.
     *
     * @throws IllegalArgumentException when the SQL already ends in a FORMAT clause
     * @throws WarehouseException       with the server's message when the query fails
     */
    public QueryResult query(String sql) {
        String statement = stripTrailingSemicolon(sql);
        if (TRAILING_FORMAT.matcher(statement).matches()) {
            throw new IllegalArgumentException("leave out the FORMAT clause; the result is read as TabSeparatedWithNames");
        }
        // On its own line so that a trailing "-- comment" cannot swallow it.
        return TabSeparated.parseWithNames(queryText(statement + "\nFORMAT TabSeparatedWithNames"));
    }

    /**
     * Runs a query that names its own output format ({@code … FORMAT JSONEachRow}) and returns the
     * server's answer as UTF-8 text, unparsed.
     */
    public String queryText(String sqlWithFormat) {
        try (QueryResponse response = await(client.query(sqlWithFormat, new QuerySettings()), sqlWithFormat);
             InputStream in = response.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e, sqlWithFormat);
        }
    }

    /**
     * Runs a query with extra server settings (sent as URL parameters, e.g. {@code readonly},
     * {@code max_execution_time}) and returns its rows together with the rows and bytes the server read.
     * The result is read as {@code JSONCompact} (the only format whose body carries the read statistics on
     * 18.16) and converted to the same text values as {@link #query} returns (see {@code JsonCompact}). The
     * SQL must not carry its own {@code FORMAT} clause.
     *
     * @param serverSettings applied in iteration order; {@code readonly} should come last, since a
     *                       read-only session refuses later setting changes on some versions
     */
    public MeasuredResult queryMeasured(String sql, Map<String, String> serverSettings) {
        String statement = stripTrailingSemicolon(sql);
        if (TRAILING_FORMAT.matcher(statement).matches()) {
            throw new IllegalArgumentException("leave out the FORMAT clause; the result is read as JSONCompact");
        }
        String full = statement + "\nFORMAT JSONCompact";
        QuerySettings qs = new QuerySettings();
        qs.serverSetting("output_format_json_quote_64bit_integers", "0");
        qs.serverSetting("output_format_json_quote_denormals", "1");
        // Buffer the answer on the server so that a failure after the first rows still answers with an
        // HTTP error (and its code) instead of an exception text appended to half a JSON document.
        qs.serverSetting("wait_end_of_query", "1");
        serverSettings.forEach(qs::serverSetting);
        try (QueryResponse response = await(client.query(full, qs), full);
             InputStream in = response.getInputStream()) {
            return JsonCompact.parse(in);
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e, full);
        }
    }

    /** The single numeric value of a query such as {@code SELECT count() FROM events FINAL}. */
    public long queryLong(String sql) {
        String value = query(sql).single();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("not an integer: " + value + " (from: " + preview(sql) + ")", e);
        }
    }

    /** Runs a query and renders it with {@link TablePrinter}: header, aligned columns, row count. */
    public String queryAsTable(String sql) {
        return TablePrinter.print(query(sql));
    }

    /**
     * Inserts rows given as JSON objects, one per element, into {@code table} (of {@link #database()}
     * unless qualified) in one request: ClickHouse applies it as one block (atomic per partition).
     *
     * @throws WarehouseException with the server's message when the insert is refused
     */
    public void insertJsonEachRow(String table, Collection<String> jsonRows) {
        StringBuilder body = new StringBuilder(jsonRows.size() * 256);
        for (String row : jsonRows) {
            body.append(row).append('\n');
        }
        insertJsonEachRow(table, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Inserts an already encoded JSONEachRow body (UTF-8, one JSON object per line) into {@code table}. */
    public void insertJsonEachRow(String table, byte[] jsonEachRow) {
        String what = "INSERT INTO " + table + " FORMAT JSONEachRow";
        try (InsertResponse ignored = await(client.insert(table, new ByteArrayInputStream(jsonEachRow),
                ClickHouseFormat.JSONEachRow, new InsertSettings()), what)) {
            // Accepted: the server answered 200 after writing the block.
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw failure(e, what);
        }
    }

    /**
     * Whether the server answers a trivial query; never throws. Independent of {@link #database()}
     * existing, so it serves as the liveness check while the migrations have not run yet.
     */
    public boolean ping() {
        QuerySettings outside = new QuerySettings();
        outside.serverSetting("database", "system");
        try (QueryResponse response = client.query("SELECT 1 FORMAT TabSeparated", outside).get();
             InputStream in = response.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().equals("1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The server's version, e.g. {@code 18.16.1} or {@code 26.7.2.1}; read once (in the {@code system}
     * database, so before the migrations too), then remembered.
     *
     * @throws WarehouseException when the server cannot be asked
     */
    public String serverVersion() {
        String known = version;
        if (known == null) {
            String sql = "SELECT version() FORMAT TabSeparated";
            QuerySettings outside = new QuerySettings();
            outside.serverSetting("database", "system");
            try (QueryResponse response = await(client.query(sql, outside), sql);
                 InputStream in = response.getInputStream()) {
                known = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (WarehouseException e) {
                throw e;
            } catch (Exception e) {
                throw failure(e, sql);
            }
            version = known;
        }
        return known;
    }

    /** {@link #serverVersion()} parsed; the one place where a statement may choose by version. */
    public ServerVersion serverRelease() {
        return ServerVersion.parse(serverVersion());
    }

    /** The version for an error message, without letting a second failure hide the first. */
    private String versionForMessage() {
        String known = version;
        if (known != null) {
            return known;
        }
        QuerySettings outside = new QuerySettings();
        outside.serverSetting("database", "system");
        try (QueryResponse response = client.query("SELECT version() FORMAT TabSeparated", outside)
                .get(5, TimeUnit.SECONDS);
             InputStream in = response.getInputStream()) {
            known = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            version = known;
            return known;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        } catch (Exception e) {
            return "(version unknown)";
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ClickHouse[" + settings.url() + "/" + settings.database() + "]";
    }

    private <T> T await(CompletableFuture<T> future, String sql) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("interrupted while waiting for ClickHouse: " + preview(sql),
                    WarehouseException.NO_SERVER_CODE, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), sql);
        }
    }

    private WarehouseException failure(Throwable e, String sql) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof ServerException)) {
            cause = cause.getCause();
        }
        if (cause instanceof ServerException server) {
            String message = serverMessage(server.getMessage());
            int code = server.getCode();
            Matcher m = CODE.matcher(message);
            if (code <= 0 && m.find()) {
                // 18.16 sends no X-ClickHouse-Exception-Code header; the code is only in the text.
                code = Integer.parseInt(m.group(1));
            }
            return new WarehouseException("ClickHouse " + versionForMessage() + " refused " + preview(sql) + ": " + message, code, e);
        }
        return new WarehouseException("ClickHouse request failed (" + preview(sql) + "): " + e,
                WarehouseException.NO_SERVER_CODE, e);
    }

    /** The server's text without the client's " (transport error: 404)" tail and 18.16's "e.what()" echo. */
    static String serverMessage(String text) {
        String message = text == null ? "" : text.strip();
        int what = message.indexOf(", e.what() = ");
        if (what > 0) {
            message = message.substring(0, what);
        }
        int transport = message.lastIndexOf(" (transport error:");
        if (transport > 0) {
            message = message.substring(0, transport);
        }
        return message.strip();
    }

    private static String preview(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= STATEMENT_PREVIEW ? oneLine : oneLine.substring(0, STATEMENT_PREVIEW) + "…";
    }

    private static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }
}
