package io.keel.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.raft.Message;
import io.keel.raft.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    private static Message msg(long from, long to, long index) {
        return Message.builder(MessageType.APP).from(from).to(to).index(index).build();
    }

    private static List<Long> drain(SimNetwork net) {
        List<Long> order = new ArrayList<>();
        long last = 0;
        for (SimNetwork.InFlight f = net.poll(); f != null; f = net.poll()) {
            assertThat(f.deliverAtUnits()).isGreaterThanOrEqualTo(last);
            last = f.deliverAtUnits();
            order.add(f.message().index());
        }
        return order;
    }

    @Test
    void partitionCutsAcrossGroupsOnlyUntilHealed() {
        SimNetwork net = new SimNetwork(new SplittableRandom(1));
        net.partition(Map.of(1L, 1));
        assertThat(net.send(msg(1, 2, 1), 0)).isEqualTo(SimNetwork.Outcome.PARTITIONED);
        assertThat(net.send(msg(2, 3, 1), 0)).isEqualTo(SimNetwork.Outcome.QUEUED);
        net.heal();
        assertThat(net.send(msg(1, 2, 1), 0)).isEqualTo(SimNetwork.Outcome.QUEUED);
        assertThat(net.inFlight()).isEqualTo(2);
    }

    @Test
    void delaysReorderMessagesAndTheSameSeedReordersTheSameWay() {
        List<List<Long>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            SimNetwork net = new SimNetwork(new SplittableRandom(42));
            net.setFaults(0, 0, 0, SimClock.ticks(3));
            for (long i = 0; i < 50; i++) {
                net.send(msg(1, 2, i), 0);
            }
            runs.add(drain(net));
        }
        assertThat(runs.get(0)).hasSize(50).isEqualTo(runs.get(1));
        assertThat(runs.get(0)).isNotEqualTo(runs.get(0).stream().sorted().toList());
    }

    @Test
    void lossAndDuplicationHappenAtRoughlyTheirRates() {
        SimNetwork net = new SimNetwork(new SplittableRandom(3));
        net.setFaults(0.5, 0.5, 0, 5);
        int lost = 0;
        int duplicated = 0;
        for (int i = 0; i < 1000; i++) {
            switch (net.send(msg(1, 2, i), 0)) {
                case LOST -> lost++;
                case DUPLICATED -> duplicated++;
                default -> { }
            }
        }
        assertThat(lost).isBetween(400, 600);
        assertThat(duplicated).isBetween(150, 350);
        assertThat(net.inFlight()).isEqualTo(1000 - lost + duplicated);
    }
}
