// The playback test is only as good as its server: media elements seek with Range requests.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { parseRange, startServer } from './range-server.mjs';

describe('range server', () => {
  const size = 1000;
  const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) & 0xff));
  let tmp;
  let server;
  const get = (headers = {}, method = 'GET') =>
    fetch(`${server.origin}/f.webm`, { method, headers });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-range-'));
    fs.writeFileSync(path.join(tmp, 'f.webm'), data);
    server = await startServer({ '/f.webm': path.join(tmp, 'f.webm') });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('whole file: 200 with Accept-Ranges', async () => {
    const r = await get();
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('accept-ranges'), 'bytes');
    assert.equal(r.headers.get('content-type'), 'video/webm');
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), data);
  });

  for (const [range, start, end] of [
    ['bytes=100-199', 100, 199],
    ['bytes=900-', 900, 999],
    ['bytes=-50', 950, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=0-0', 0, 0],
  ]) {
    test(`${range}: 206 with that part`, async () => {
      const r = await get({ Range: range });
      assert.equal(r.status, 206);
      assert.equal(r.headers.get('content-range'), `bytes ${start}-${end}/${size}`);
      assert.equal(r.headers.get('content-length'), String(end - start + 1));
      const body = Buffer.from(await r.arrayBuffer());
      assert.equal(body.length, end - start + 1);
      assert.deepEqual(body, data.subarray(start, end + 1));
    });
  }

  for (const range of ['bytes=1000-1100', 'bytes=200-100', 'bytes=-0', 'bytes=x-y']) {
    test(`${range}: 416`, async () => {
      const r = await get({ Range: range });
      assert.equal(r.status, 416);
      assert.equal(r.headers.get('content-range'), `bytes */${size}`);
      await r.arrayBuffer();
    });
  }

  test('HEAD: headers, no body', async () => {
    const r = await get({ Range: 'bytes=10-19' }, 'HEAD');
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-length'), '10');
    assert.equal((await r.arrayBuffer()).byteLength, 0);
  });

  test('unknown path: 404', async () => {
    const r = await fetch(`${server.origin}/nope`);
    assert.equal(r.status, 404);
    await r.arrayBuffer();
  });

  test('parseRange edge cases', () => {
    assert.equal(parseRange(undefined, 10), null);
    assert.equal(parseRange('items=0-1', 10), null);
    assert.equal(parseRange('bytes=0-1,4-5', 10), null);  // several ranges: whole body
    assert.deepEqual(parseRange('bytes=-20', 10), { start: 0, end: 9 });
    assert.equal(parseRange('bytes=0-', 0), 'unsatisfiable');
  });
});
