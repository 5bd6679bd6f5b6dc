import type { ConnectionAccounting, PacketAccounting } from '../../model/capture.js';

export function emptyPacketAccounting(): PacketAccounting {
  return { total: 0, decoded: 0, nonIp: 0, fragments: 0, truncated: 0, unsupported: 0, reasons: { nonIp: {}, fragments: {}, truncated: {}, unsupported: {} } };
}

export function emptyConnectionAccounting(): ConnectionAccounting {
  return { tcp: 0, udp: 0, withoutSyn: 0, strayPackets: 0, httpRequests: 0, tls: 0, http2: 0, opaque: 0, silent: 0, l7Stopped: {}, evictedIdle: 0, evictedFull: 0, flows: 0 };
}
