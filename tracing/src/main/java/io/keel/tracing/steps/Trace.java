package io.keel.tracing.steps;

import io.keel.tracing.log.EtcdDuration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The step trace of one request, like etcd's {@code traceutil.Trace}: an operation name
 * ({@code range}, {@code put}, ...), detail fields, and named steps stamped by an injected clock.
 * {@link StepTracer#logIfLong} decides at the end whether it is slow enough to log.
 *
 * <p>Owner: the request it describes; created by {@link StepTracer#start}. Thread-safety: not
 * thread-safe. It is confined to one thread at a time and may be handed between the server's
 * threads only through its bounded queues, which order the hand-off.
 */
public final class Trace {
    /** Steps beyond this many are counted, not stored: a trace must not grow without bound. */
    public static final int MAX_STEPS = 64;

    private final String operation;
    private final StepClock clock;
    private final long startNanos;
    private final long startEpochMillis;
    private final List<Field> fields;
    private final List<Step> steps = new ArrayList<>(8);
    private int droppedSteps;
    private boolean stepsDisabled;
    private String traceId = "";

    /** One recorded step; subtrace markers carry fields for the steps they enclose. */
    record Step(long nanos, String msg, List<Field> fields, Marker marker) {
    }

    enum Marker { NONE, SUBTRACE_START, SUBTRACE_END }

    Trace(String operation, StepClock clock, Field... fields) {
        if (operation == null || operation.isEmpty()) {
            throw new IllegalArgumentException("trace operation must not be empty");
        }
        this.operation = operation;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.startEpochMillis = clock.epochMillis();
        this.fields = new ArrayList<>(Arrays.asList(fields));
    }

    public String operation() {
        return operation;
    }

    /** Records that the request reached {@code msg} now. */
    public void step(String msg, Field... stepFields) {
        if (!stepsDisabled) {
            add(new Step(clock.nanoTime(), msg, List.of(stepFields), Marker.NONE));
        }
    }

    /** Runs {@code work} as one step: steps it records itself are ignored. */
    public void stepWithFunction(Runnable work, String msg, Field... stepFields) {
        stepsDisabled = true;
        try {
            work.run();
        } finally {
            stepsDisabled = false;
        }
        step(msg, stepFields);
    }

    /** Starts a subtrace: its fields are printed with every step up to {@link #stopSubTrace}. */
    public void startSubTrace(Field... subFields) {
        add(new Step(0, "", List.of(subFields), Marker.SUBTRACE_START));
    }

    /** Ends a subtrace: its fields are printed with every step since {@link #startSubTrace}. */
    public void stopSubTrace(Field... subFields) {
        add(new Step(0, "", List.of(subFields), Marker.SUBTRACE_END));
    }

    /** Adds detail fields; a field whose key is already present replaces its value. */
    public void addField(Field... more) {
        for (Field field : more) {
            int existing = indexOf(field.key());
            if (existing >= 0) {
                fields.set(existing, field);
            } else {
                fields.add(field);
            }
        }
    }

    /** Links this trace to a distributed trace, so the console can open it in Jaeger. */
    public void linkTraceId(String distributedTraceId) {
        this.traceId = distributedTraceId == null ? "" : distributedTraceId;
    }

    /** The linked distributed trace id, or the empty string. */
    public String traceId() {
        return traceId;
    }

    long startNanos() {
        return startNanos;
    }

    long startEpochMillis() {
        return startEpochMillis;
    }

    int stepCount() {
        return steps.size();
    }

    /** {@code {k:v; ...}} for the trace's own fields. */
    String detail() {
        return Field.format(fields);
    }

    /**
     * The printed steps longer than {@code stepThresholdNanos}, each as
     * {@code trace[N] 'msg' {fields} (duration: d)}; a step's duration runs from the previous step.
     */
    List<String> renderSteps(long stepThresholdNanos, int traceNumber) {
        List<String> printed = new ArrayList<>();
        long previous = startNanos;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.marker() != Marker.NONE) {
                continue;
            }
            long took = step.nanos() - previous;
            previous = step.nanos();
            if (took > stepThresholdNanos) {
                printed.add("trace[" + traceNumber + "] '" + step.msg() + "' "
                        + Field.format(effectiveFields(i)) + " (duration: "
                        + EtcdDuration.format(took) + ")");
            }
        }
        if (droppedSteps > 0) {
            printed.add("trace[" + traceNumber + "] " + droppedSteps + " more steps not recorded");
        }
        return printed;
    }

    /** A step's fields with those of an enclosing subtrace's start and end markers first. */
    private List<Field> effectiveFields(int index) {
        List<Field> result = new ArrayList<>();
        for (int j = index + 1; j < steps.size(); j++) {
            Marker m = steps.get(j).marker();
            if (m == Marker.SUBTRACE_START) {
                break;
            }
            if (m == Marker.SUBTRACE_END) {
                result.addAll(steps.get(j).fields());
                break;
            }
        }
        for (int j = index - 1; j >= 0; j--) {
            Marker m = steps.get(j).marker();
            if (m == Marker.SUBTRACE_END) {
                break;
            }
            if (m == Marker.SUBTRACE_START) {
                result.addAll(steps.get(j).fields());
                break;
            }
        }
        result.addAll(steps.get(index).fields());
        return result;
    }

    private void add(Step step) {
        if (steps.size() < MAX_STEPS) {
            steps.add(step);
        } else {
            droppedSteps++;
        }
    }

    private int indexOf(String key) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
