#!/usr/bin/env node
// npm's s3rver serving on a socket it inherits as file descriptor 3: a loopback port the test
// bound (the OS picked it) and holds, so that it can name the endpoint before the server is up
// and no other process can take the port meanwhile (tests/support/s3rver.h). s3rver's own
// command line binds a port itself. Prints "s3rver ready" once it serves.
//
// Usage: node s3rver_on_socket.js S3RVER_PACKAGE_DIR DATA_DIR BUCKET [CERT_PEM KEY_PEM]
'use strict';

const fs = require('fs');

const [packageDir, directory, bucket, cert, key] = process.argv.slice(2);
const S3rver = require(packageDir);

(async () => {
  fs.mkdirSync(directory, { recursive: true });
  const options = { directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] };
  if (cert) Object.assign(options, { cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
  const server = new S3rver(options);
  await server.configureBuckets();
  server.httpServer = await server.listen({ fd: 3 });
  console.log('s3rver ready');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
