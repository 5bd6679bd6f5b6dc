// A client of a non-HTTP protocol: connects from a given address, sends a PostgreSQL SSLRequest
// (8 binary bytes), reads whatever comes back, and closes.
import { connect } from 'node:net';

const [from, to, port] = process.argv.slice(2);
const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const socket = connect({ host: to, port: Number(port), localAddress: from }, () => socket.write(sslRequest));
socket.on('data', () => socket.end());
socket.on('error', () => {});
setTimeout(() => socket.destroy(), 500);
