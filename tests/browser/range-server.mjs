// A small static file server for the browser tests, on 127.0.0.1 only, with the HTTP Range
// support media elements rely on (RFC 9110 §14): `Accept-Ranges: bytes`, single byte ranges
// answered with 206 and `Content-Range`, unsatisfiable or reversed ranges with 416.
// (`python3 -m http.server` has no Range support; Chromium then cannot seek in a WebM.)

import fs from 'node:fs';
import http from 'node:http';

const kTypes = {
  '.webm': 'video/webm',
  '.vtt': 'text/vtt; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

function typeOf(filePath) {
  const dot = filePath.lastIndexOf('.');
  return kTypes[dot >= 0 ? filePath.slice(dot) : ''] ?? 'application/octet-stream';
}

// Parses a Range header against a resource of `size` bytes.
// Returns null: no usable Range (serve the whole body, 200) — absent, another unit, or several
//   ranges (a server may answer those with the whole representation);
// 'unsatisfiable': answer 416;
// {start, end}: inclusive byte positions to send with 206.
export function parseRange(header, size) {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return null;
  const specs = m[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (specs.length !== 1) return specs.length === 0 ? 'unsatisfiable' : null;
  const r = /^(\d*)-(\d*)$/.exec(specs[0]);
  if (!r || (r[1] === '' && r[2] === '')) return 'unsatisfiable';
  if (r[1] === '') {  // suffix: the last N bytes
    const suffix = Number(r[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(r[1]);
  const end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
  if (start >= size || (r[2] !== '' && Number(r[2]) < start)) return 'unsatisfiable';
  return { start, end };
}

// Starts a server for `routes`: { '/url/path': '/file/path' | {body, type} }.
// Resolves to { origin, log, close() }; `log` records [method, path, status, range] per request.
export async function startServer(routes) {
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const route = routes[url.pathname];
    const entry = { method: req.method, path: url.pathname, range: req.headers.range ?? null };
    log.push(entry);
    const finish = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return finish(405, { Allow: 'GET, HEAD', 'Content-Length': 0 });
    }
    if (!route) {
      return finish(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 }, 'not found');
    }
    let body;
    let type;
    if (typeof route === 'string') {
      body = fs.readFileSync(route);  // test files are small: read whole, slice below
      type = typeOf(route);
    } else {
      body = Buffer.from(route.body);
      type = route.type;
    }
    const size = body.length;
    const common = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      return finish(416, { ...common, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    }
    if (range === null) {
      return finish(200, { ...common, 'Content-Length': size }, body);
    }
    const part = body.subarray(range.start, range.end + 1);
    return finish(206, {
      ...common,
      'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
      'Content-Length': part.length,
    }, part);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
