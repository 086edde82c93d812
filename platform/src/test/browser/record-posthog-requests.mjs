// Records what posthog-js really sends, for the gateway's fixtures (gateway/src/test/resources/posthog/recorded/).
//
//   node record-posthog-requests.mjs <out.jsonl> [supported compression, e.g. "gzip,gzip-js" | "base64" | ""]
//
// Serves /demo/shop and the posthog-js bundle of platform/web/node_modules like Beacon does, answers the
// remote config with the given supportedCompression (posthog-js picks its encoding from it), and writes
// every other request (method, url, headers, body as base64) to <out.jsonl>. Then run, in another shell:
//   node shop-funnel.mjs http://127.0.0.1:18765 wk_test
// A stand-in server rather than Playwright's request events: those do not expose sendBeacon bodies.
import http from 'node:http';
import { appendFileSync, readFileSync } from 'node:fs';

const [out, compression = 'gzip,gzip-js'] = process.argv.slice(2);
const shop = new URL('../../main/resources/demo/shop/', import.meta.url).pathname;
const dist = new URL('../../../web/node_modules/posthog-js/dist/', import.meta.url).pathname;
const remoteConfig = { autocapture_opt_out: false, elementsChainAsString: true, hasFeatureFlags: false,
  sessionRecording: false, surveys: false, heatmaps: false, capturePerformance: false, siteApps: [],
  ...(compression ? { supportedCompression: compression.split(',') } : {}) };
const types = { js: 'text/javascript', css: 'text/css', html: 'text/html' };

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = new URL(req.url, 'http://recorder').pathname;
    const send = (status, type, body) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
    if (path === '/demo/shop/config.js') return send(200, types.js, 'window.BEACON_DEMO_CONFIG={"writeKey":"wk_test"};');
    if (path.startsWith('/demo/shop')) {
      const file = path.replace(/^\/demo\/shop\/?/, '') || 'index.html';
      try { return send(200, types[file.split('.').pop()] || 'text/plain', readFileSync(shop + file)); } catch { return send(404, 'text/plain', ''); }
    }
    if (path.startsWith('/demo/vendor/posthog-js/')) return send(200, types.js, readFileSync(dist + path.split('/').pop()));
    appendFileSync(out, JSON.stringify({ method: req.method, url: req.url, headers: req.headers,
      body: Buffer.concat(chunks).toString('base64') }) + '\n');
    if (path.startsWith('/array/')) return send(200, 'application/json', JSON.stringify(remoteConfig));
    if (path.startsWith('/flags') || path.startsWith('/decide')) return send(200, 'application/json', '{"flags":{},"featureFlags":{}}');
    return send(200, 'application/json', '{"status":1}');
  });
}).listen(18765, '127.0.0.1', () => console.error('recording to', out, 'on http://127.0.0.1:18765'));
