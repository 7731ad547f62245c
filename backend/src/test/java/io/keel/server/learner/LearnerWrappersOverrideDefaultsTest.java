package io.keel.server.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.server.cluster.ClusterBackend;
import io.keel.server.kv.KvBackend;
import io.keel.server.lease.LeaseBackend;
import io.keel.server.maintenance.MaintenanceBackend;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The back-end interfaces give some methods default bodies (the traced KV overloads, the console's
 * dry runs) so that simple back ends need not write them. A wrapper that forgets one silently
 * bypasses itself and the back end it wraps: twice a merge shipped exactly that (traced KV calls
 * lost their spans; dry runs answered "not capable" through the learner gate). Every wrapper
 * here must override every default method of the interface it wraps.
 */
class LearnerWrappersOverrideDefaultsTest {
    @Test
    void everyLearnerWrapperOverridesEveryDefaultMethodOfItsInterface() {
        Map<Class<?>, Class<?>> wrappers = Map.of(
                LearnerKvBackend.class, KvBackend.class,
                LearnerClusterBackend.class, ClusterBackend.class,
                LearnerMaintenanceBackend.class, MaintenanceBackend.class,
                LearnerLeaseBackend.class, LeaseBackend.class);
        List<String> missing = new ArrayList<>();
        wrappers.forEach((wrapper, api) -> {
            assertThat(api).isAssignableFrom(wrapper);
            for (Method m : api.getMethods()) {
                if (!m.isDefault()) {
                    continue;
                }
                try {
                    wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    missing.add(wrapper.getSimpleName() + " does not override " + api.getSimpleName() + "."
                            + m.getName());
                }
            }
        });
        assertThat(missing).isEmpty();
    }
}
