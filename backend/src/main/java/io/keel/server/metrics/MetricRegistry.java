package io.keel.server.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The families one member exports with exact names, in registration order. Registering a name
 * twice is a bug and fails at once. Thread-safe; registration happens at startup.
 */
public final class MetricRegistry {
    private final List<MetricFamily> families = new CopyOnWriteArrayList<>();
    private final Set<String> names = new HashSet<>();

    public synchronized <F extends MetricFamily> F register(F family) {
        if (!names.add(family.name())) {
            throw new IllegalArgumentException("metric family registered twice: " + family.name());
        }
        families.add(family);
        return family;
    }

    public List<MetricFamily> families() {
        return new ArrayList<>(families);
    }

    /** Appends every family in text format. */
    public void write(StringBuilder out) {
        for (MetricFamily f : families) {
            f.write(out);
        }
    }
}
