package io.beacon.warehouse.clickhouse;

/**
 * A query's rows plus what the server reports it cost: the {@code statistics} block of ClickHouse's
 * {@code JSONCompact} output ({@code rows_read}, {@code bytes_read}, {@code elapsed}), which 18.16 already
 * writes. 18.16 sends no {@code X-ClickHouse-Summary} header and progress headers only for queries slower
 * than {@code http_headers_progress_interval_ms}, so the body is the one place every version reports it.
 *
 * @param result        the rows, as text in the same form as {@link ClickHouse#query} returns them
 * @param rowsRead      rows the server read to answer (all sources, before filtering)
 * @param bytesRead     uncompressed bytes the server read
 * @param serverSeconds the server's own elapsed time
 */
public record MeasuredResult(QueryResult result, long rowsRead, long bytesRead, double serverSeconds) {
}
