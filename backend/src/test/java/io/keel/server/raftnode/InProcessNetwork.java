package io.keel.server.raftnode;

import io.keel.raft.Message;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Delivers Raft messages between RaftNodes in one JVM; can isolate members. Thread-safe. */
final class InProcessNetwork {
    private final Map<Long, RaftNode> nodes = new ConcurrentHashMap<>();
    private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

    void register(long id, RaftNode node) {
        nodes.put(id, node);
    }

    void isolate(long id) {
        isolated.add(id);
    }

    void heal() {
        isolated.clear();
    }

    PeerSender senderFor(long from) {
        return messages -> {
            for (Message m : messages) {
                RaftNode to = nodes.get(m.to());
                if (to != null && !isolated.contains(from) && !isolated.contains(m.to())) {
                    to.step(m);
                }
            }
        };
    }
}
