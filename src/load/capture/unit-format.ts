import type { CaptureProblem, ReaderStats } from '../../model/capture.js';
import type { PacketView } from './packet.js';

/** What a capture format parser reports to the reader that drives it. */
export interface ReaderSink {
  readonly packet: PacketView;
  readonly stats: ReaderStats;
  onPacket(packet: PacketView): void;
  problem(problem: CaptureProblem): void;
}

/**
 * A capture file is a sequence of units (a file header, then records or blocks). The reader asks a
 * format how long the unit at hand is, gathers that many bytes, and hands the unit over.
 */
export interface UnitFormat {
  /** Bytes needed at the start of a unit before `unitLength` can answer. */
  readonly headerBytes: number;
  /** Total length of the unit at `o`, or -1 when it is corrupt (the problem is already reported). */
  unitLength(bytes: Uint8Array, o: number, fileOffset: number): number;
  /** Handles one whole unit; returns false to stop reading (a fatal problem was reported). */
  unit(bytes: Uint8Array, o: number, length: number, fileOffset: number): boolean;
  /**
   * Optional fast path: handles the whole, unremarkable units from `o` on and returns where it stopped
   * (at an incomplete unit or at anything `unit` would have to report); the reader then goes on unit by unit.
   */
  units?(bytes: Uint8Array, o: number, end: number, fileOffset: number): number;
  /** Describes a unit left incomplete at the end of the file. */
  describeIncomplete(needed: number, present: number, fileOffset: number): string;
}
