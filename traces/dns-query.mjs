// Sends one DNS query for a Service name over UDP from a given source address (no reply is expected:
// nothing listens on port 53 in the recording namespace, so the capture also holds an ICMP error).
import { createSocket } from 'node:dgram';

const [from, to, name] = process.argv.slice(2);
const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
const query = Buffer.concat([Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
const socket = createSocket('udp4');
socket.bind({ address: from }, () => socket.send(query, 53, to, () => setTimeout(() => socket.close(), 200)));
