#!/usr/bin/env node
// The ClickHouse HTTP interface over chdb (libchdb = ClickHouse 26.x, in-process), for Beacon's tests only.
//
// Beacon talks to ClickHouse through com.clickhouse:client-v2 over HTTP; chdb has no HTTP interface of
// its own. This adapter serves the part of the interface client-v2 and our dev-stack use, so the same
// sink, migrations and analyses run unchanged against a current ClickHouse:
//   GET /ping                          -> "Ok.\n"
//   POST /?query=...&database=...&<settings>   body: the statement, or the data of an INSERT whose
//                                      statement is in the query parameter (the two are joined)
//   X-ClickHouse-Format / default_format      default output format (a FORMAT clause wins)
// Every request runs on its own chdb connection to the one data directory (connections share the data
// but not their settings), so `readonly` or `max_execution_time` of one request never leaks into another.
// Errors answer 500 with ClickHouse's own text ("Code: N. DB::Exception: ... (version V)") and the
// X-ClickHouse-Exception-Code header, as a real server does.
//
// usage: node server.js --port P --path DIR [--log FILE]
'use strict';

const http = require('http');
const fs = require('fs');
const { Session } = require('chdb');

const args = process.argv.slice(2);
function arg(name, fallback) {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const port = Number(arg('port', '0'));
const dataPath = arg('path', '');
const logFile = arg('log', '');
if (!dataPath) {
  console.error('usage: node server.js --port P --path DIR [--log FILE]');
  process.exit(2);
}
fs.mkdirSync(dataPath, { recursive: true });

function log(line) {
  if (logFile) fs.appendFileSync(logFile, new Date().toISOString() + ' ' + line + '\n');
}

// The first session binds the process to the data directory and keeps the engine alive.
const root = new Session(dataPath);
const version = root.query('SELECT version()', 'TabSeparated').trim();

// URL parameters of the HTTP interface that are not settings (ClickHouse's HTTPHandler reserves them).
const NOT_SETTINGS = new Set(['query', 'database', 'query_id', 'default_format', 'wait_end_of_query',
  'session_id', 'session_timeout', 'session_check', 'compress', 'decompress', 'user', 'password',
  'quota_key', 'buffer_size', 'client_protocol_version', 'stacktrace', 'role']);

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(value) {
  return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function errorText(e) {
  let message = String(e && e.message ? e.message : e).replace(/^Query failed: /, '').trim();
  if (!/^Code: \d+/.test(message)) message = 'Code: 1000. DB::Exception: ' + message;
  return message + ' (version ' + version + ')';
}

function errorCode(text) {
  const m = /^Code: (\d+)/.exec(text);
  return m ? m[1] : '1000';
}

async function run(sql, database, settings, format) {
  const session = new Session(dataPath);
  try {
    if (database) {
      if (!IDENTIFIER.test(database)) throw new Error(`Code: 81. DB::Exception: Database ${database} does not exist. (UNKNOWN_DATABASE)`);
      session.query('USE ' + database, 'TabSeparated');
    }
    // readonly last: a read-only connection refuses later setting changes.
    const ordered = settings.filter(([k]) => k !== 'readonly').concat(settings.filter(([k]) => k === 'readonly'));
    for (const [key, value] of ordered) {
      if (!SETTING_NAME.test(key)) throw new Error(`Code: 115. DB::Exception: Unknown setting ${key}. (UNKNOWN_SETTING)`);
      session.query(`SET ${key} = ${quote(value)}`, 'TabSeparated');
    }
    return await session.queryAsync(sql, { format });
  } finally {
    session.close();
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    if (url.pathname === '/ping' || (url.pathname === '/' && req.method === 'GET' && !url.searchParams.has('query'))) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      res.end('Ok.\n');
      return;
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const inUrl = url.searchParams.get('query');
    const sql = inUrl != null ? (body.length > 0 ? inUrl + '\n' + body : inUrl) : body;
    const database = url.searchParams.get('database') || req.headers['x-clickhouse-database'] || '';
    const format = url.searchParams.get('default_format') || req.headers['x-clickhouse-format'] || 'TabSeparated';
    const settings = [];
    for (const [key, value] of url.searchParams) {
      if (!NOT_SETTINGS.has(key) && !key.startsWith('param_')) settings.push([key, value]);
    }
    const queryId = url.searchParams.get('query_id') || req.headers['x-clickhouse-query-id'] || '';
    if (!sql.trim()) {
      const text = 'Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR) (version ' + version + ')';
      res.writeHead(400, { 'X-ClickHouse-Exception-Code': '62', 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(text + '\n');
      return;
    }
    try {
      const result = await run(sql, database, settings, format);
      const bytes = Buffer.from(result.bytes());
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Server-Display-Name': 'chdb',
        'X-ClickHouse-Query-Id': queryId,
        'X-ClickHouse-Format': format,
        'X-ClickHouse-Timezone': Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        'X-ClickHouse-Summary': JSON.stringify({
          read_rows: String(result.rowsRead || 0), read_bytes: String(result.bytesRead || 0),
          written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: String(bytes.length),
        }),
      });
      res.end(bytes);
    } catch (e) {
      const text = errorText(e);
      log('ERROR ' + text.split('\n')[0] + ' <- ' + sql.slice(0, 2000).replace(/\s+/g, ' '));
      res.writeHead(500, { 'X-ClickHouse-Exception-Code': errorCode(text), 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(text + '\n');
    }
  });
});

server.keepAliveTimeout = 3000;
server.listen(port, '127.0.0.1', () => {
  // The Java side waits for this line (and then for /ping).
  console.log(`chdb-http ready port=${server.address().port} version=${version} pid=${process.pid}`);
});

function shutdown() {
  server.close();
  try { root.close(); } catch (_) { /* exiting anyway */ }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
