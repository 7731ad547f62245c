package io.keel.backend.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line split the way etcdctl's (cobra's) flag parsing splits it: {@code --flag value},
 * {@code --flag=value}, {@code -w value}; boolean flags take a value only after {@code =};
 * anything else is a positional argument. Immutable after parsing; confined to the main thread.
 */
final class CommandArgs {
    private final Map<String, String> flags = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private CommandArgs() {
    }

    /**
     * @param valued  flag names (long form, no dashes) that take a value
     * @param bools   boolean flag names
     * @param shorts  one-letter aliases to their long names
     */
    static CommandArgs parse(List<String> args, Set<String> valued, Set<String> bools, Map<String, String> shorts)
            throws UsageException {
        CommandArgs out = new CommandArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                out.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                out.positional.add(arg);
                continue;
            }
            boolean longForm = arg.startsWith("--");
            String body = arg.substring(longForm ? 2 : 1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (!longForm) {
                String full = shorts.get(name);
                if (full == null) {
                    throw new UsageException("unknown shorthand flag: '" + name + "' in " + arg);
                }
                name = full;
            }
            if (bools.contains(name)) {
                out.flags.put(name, eq < 0 ? "true" : body.substring(eq + 1));
            } else if (valued.contains(name)) {
                if (eq >= 0) {
                    out.flags.put(name, body.substring(eq + 1));
                } else if (i + 1 < args.size()) {
                    out.flags.put(name, args.get(++i));
                } else {
                    throw new UsageException("flag needs an argument: " + arg);
                }
            } else {
                throw new UsageException("unknown flag: --" + name);
            }
        }
        return out;
    }

    String flag(String name, String defaultValue) {
        return flags.getOrDefault(name, defaultValue);
    }

    boolean bool(String name) {
        return "true".equalsIgnoreCase(flags.getOrDefault(name, "false"));
    }

    List<String> positional() {
        return List.copyOf(positional);
    }

    /** A command line etcdctl would refuse before running the command. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
