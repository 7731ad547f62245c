package io.keel.storage.mvcc;

/** Sizes around a defragmentation. Immutable; thread-safe. */
public record DefragmentResult(long dbSizeBytesBefore, long dbSizeBytesAfter, long dbSizeInUseBytesBefore,
        long dbSizeInUseBytesAfter) {
}
