package io.keel.storage.wal;

/**
 * A record read back from the queue with where it lives. Immutable value; thread-safe.
 *
 * @param queueIndex Chronicle's index of the document (cycle and sequence)
 * @param cycle      the roll cycle (file) holding it
 * @param record     the decoded, checksum-verified record
 */
public record PositionedRecord(long queueIndex, int cycle, WalRecord record) {
}
