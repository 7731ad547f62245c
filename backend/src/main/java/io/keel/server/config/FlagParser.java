package io.keel.server.config;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits a command line into flag values with the rules of Go's flag package, which etcd uses:
 * one or two leading dashes; {@code --name value} or {@code --name=value}; a boolean flag takes
 * its value only after {@code =}; parsing stops at {@code --}; and, as etcd adds, any argument
 * that is not a flag is an error. Stateless; thread-safe.
 */
public final class FlagParser {
    private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "false", "FALSE", "False");

    private FlagParser() {
    }

    /** The raw text of each flag given (a later occurrence wins, as in Go); booleans as "true"/"false". */
    public static Map<Flag, String> parse(String[] args) throws FlagException {
        Map<Flag, String> values = new EnumMap<>(Flag.class);
        int i = 0;
        while (i < args.length) {
            String arg = args[i++];
            if (arg.equals("--")) {
                break;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                throw new FlagException("'" + arg + "' is not a valid flag");
            }
            String body = arg.charAt(1) == '-' ? arg.substring(2) : arg.substring(1);
            if (body.isEmpty() || body.charAt(0) == '-' || body.charAt(0) == '=') {
                throw new FlagException("bad flag syntax: " + arg);
            }
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Flag flag = Flag.byName(name)
                    .orElseThrow(() -> new FlagException("flag provided but not defined: -" + name));
            String value;
            if (flag.kind() == FlagKind.BOOL) {
                value = eq < 0 ? "true" : parseBool(name, body.substring(eq + 1));
            } else if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (i < args.length) {
                value = args[i++];
            } else {
                throw new FlagException("flag needs an argument: -" + name);
            }
            values.put(flag, value);
        }
        if (i < args.length) {
            throw new FlagException("'" + args[i] + "' is not a valid flag");
        }
        return values;
    }

    /**
     * Adds values from the environment for flags not given on the command line, as etcd does:
     * {@code --initial-cluster-token} is read from {@code ETCD_INITIAL_CLUSTER_TOKEN}. A flag given on
     * the command line wins over its variable.
     */
    public static Map<Flag, String> withEnvironment(Map<Flag, String> fromArgs, Map<String, String> env)
            throws FlagException {
        Map<Flag, String> values = new EnumMap<>(Flag.class);
        values.putAll(fromArgs);
        for (Flag flag : Flag.values()) {
            if (values.containsKey(flag) || flag == Flag.HELP || flag == Flag.VERSION) {
                continue;
            }
            String text = env.get(envName(flag));
            if (text != null) {
                values.put(flag, flag.kind() == FlagKind.BOOL ? parseBool(flag.flagName(), text) : text);
            }
        }
        return values;
    }

    /** The environment variable etcd reads for a flag. */
    public static String envName(Flag flag) {
        return "ETCD_" + flag.flagName().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String parseBool(String name, String text) throws FlagException {
        if (TRUE.contains(text)) {
            return "true";
        }
        if (FALSE.contains(text)) {
            return "false";
        }
        throw new FlagException("invalid boolean value \"" + text + "\" for -" + name.toLowerCase(Locale.ROOT));
    }
}
