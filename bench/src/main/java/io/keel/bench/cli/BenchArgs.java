package io.keel.bench.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of one keel-bench run: the subcommand, its {@code --flag value} /
 * {@code --flag=value} options and positional arguments, read the way etcd's benchmark (cobra)
 * reads them. Every flag a subcommand reads must be declared with a default, so a mistyped flag
 * is an error rather than silently ignored. Confined to the thread that parses; not thread-safe.
 */
public final class BenchArgs {
    private final String command;
    private final Map<String, String> given;
    private final List<String> positional;
    private final Set<String> read = new HashSet<>();

    private BenchArgs(String command, Map<String, String> given, List<String> positional) {
        this.command = command;
        this.given = given;
        this.positional = positional;
    }

    /** Parses {@code args}: the first non-flag word is the subcommand. */
    public static BenchArgs parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    given.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--") && !isBooleanWord(body)) {
                    given.put(body, args[++i]);
                } else {
                    given.put(body, "true");
                }
            } else if (command == null) {
                command = a;
            } else {
                positional.add(a);
            }
        }
        return new BenchArgs(command, given, Collections.unmodifiableList(positional));
    }

    // Flags that are switches: "--sequential-keys" never takes the next word as its value.
    private static boolean isBooleanWord(String name) {
        return name.equals("sequential-keys") || name.equals("target-leader") || name.equals("prefix")
                || name.equals("help");
    }

    public String command() {
        return command;
    }

    public List<String> positional() {
        return positional;
    }

    public boolean has(String name) {
        read.add(name);
        return given.containsKey(name);
    }

    public String string(String name, String def) {
        read.add(name);
        return given.getOrDefault(name, def);
    }

    public int integer(String name, int def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not an integer: " + v);
        }
    }

    public boolean bool(String name) {
        String v = string(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + ": expected true or false, got " + v);
        }
        return v.equals("true");
    }

    /** A Go-style duration: {@code 500ms}, {@code 30s}, {@code 2m}. */
    public Duration duration(String name, Duration def) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
            case 's':
                return Duration.ofSeconds(n);
            case 'm':
                return Duration.ofMinutes(n);
            case 'h':
                return Duration.ofHours(n);
            default:
                throw new IllegalArgumentException("--" + name + ": not a duration (500ms, 30s, 2m): " + v);
        }
    }

    /** Fails when a flag was given that no code read: a typo must not pass silently. */
    public void rejectUnknown() {
        for (String name : given.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalArgumentException("unknown flag: --" + name);
            }
        }
    }
}
