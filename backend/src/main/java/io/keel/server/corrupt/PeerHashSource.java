package io.keel.server.corrupt;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Asks every other member for its HashKV at a revision (etcd's getPeerHashKVs). Implementations
 * are thread-safe, never block the caller, and complete with one {@link PeerHash} per peer that
 * has an endpoint, within the request timeout.
 */
public interface PeerHashSource {
    CompletionStage<List<PeerHash>> hashesAt(long revision);
}
