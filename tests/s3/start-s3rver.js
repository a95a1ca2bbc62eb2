// Starts s3rver on 127.0.0.1 at a free port with the buckets named on the command line, and
// prints "PORT <n>" once it listens. s3rver accepts the access key S3RVER (secret S3RVER)
// and refuses others; it does not check SigV4 signatures (s3_signature_test does).
// Usage: node start-s3rver.js DATA_DIR BUCKET...
// S3RVER_PORT=<n> listens on that port instead (to start it again where it was).
'use strict';
const S3rver = require('s3rver');

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.S3RVER_PORT || 0),
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
server.run().then(
  (address) => console.log(`PORT ${address.port}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
