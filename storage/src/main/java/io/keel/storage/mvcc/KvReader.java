package io.keel.storage.mvcc;

/** Reads the stored key-value at an exact revision inside one LMDB transaction. Confined to its transaction's thread. */
@FunctionalInterface
interface KvReader {
    KeyValue read(Revision rev);
}
