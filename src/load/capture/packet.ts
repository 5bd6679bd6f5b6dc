import type { ReaderStats } from '../../model/capture.js';

/**
 * The shapes the capture reader hands out. A `PacketView` is reused for every packet (no allocation per
 * packet): read what you need inside the callback and do not keep the object.
 */
export interface PacketView {
  /** 0-based number of the packet in the file (every packet record, decodable or not). */
  index: number;
  /** Byte offset of the packet's record (pcap record header or pcapng block) in the file. */
  offset: number;
  /** LINKTYPE_* of the interface the packet was captured on. */
  linkType: number;
  /** pcapng interface id; 0 for classic pcap. */
  interfaceId: number;
  /** Timestamp: whole seconds since the epoch, and nanoseconds (0..999,999,999). NaN when the record has none. */
  seconds: number;
  nanoseconds: number;
  /** Bytes present in the file (caplen) and bytes on the wire (original length). */
  capturedLength: number;
  originalLength: number;
  /** The packet bytes are `bytes[start .. start + capturedLength)`; valid only during the callback. */
  bytes: Uint8Array;
  start: number;
}

export function emptyReaderStats(): ReaderStats {
  return { bytes: 0, packets: 0, sections: 0, skippedBlocks: {}, cutBySnaplen: 0, linkTypes: {}, stopped: false };
}
