// The servers of the demo capture: one plain HTTP/1.1 server on the ports the demo's pods and Services
// use, and one HTTPS server for the external API. Each answers every request with a short body.
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync } from 'node:fs';

const answer = (req, res) => {
  let size = 0;
  req.on('data', (chunk) => { size += chunk.length; });
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, path: req.url, received: size });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
};

const [certFile, keyFile] = process.argv.slice(2);
for (const port of [80, 8080, 3000]) createServer(answer).listen(port, '0.0.0.0');
createTlsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, answer).listen(443, '0.0.0.0');
process.stdout.write('listening\n');
