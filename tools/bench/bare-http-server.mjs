#!/usr/bin/env node
/**
 * The reference of `heartbeats.mjs http`: a bare node:http server on
 * 127.0.0.1:$PORT that reads the request body, parses it as JSON and answers
 * 200 `{accepted, duplicates}` like the API does, without checking, storing
 * or anything else. What the API costs on top of it is the framework,
 * authentication, validation, the queue and the durable write.
 */
import http from 'node:http';

const server = http.createServer((request, response) => {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"VALIDATION_FAILED"}');
      return;
    }
    const accepted = Array.isArray(body.heartbeats) ? body.heartbeats.length : 1;
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ accepted, duplicates: 0 }));
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
