package io.keel.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code promtool} and {@code prometheus} binaries (package {@code prometheus}, installed by
 * {@code .ci/run}). A missing binary fails the test with what to install. Stateless; thread-safe.
 */
final class Promtool {
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Path binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(name + " not found on PATH: install Debian's 'prometheus' package "
                + "(apt-get install -y prometheus)");
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary("promtool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    /** A rule file with one recording rule per expression, so promtool parses each of them. */
    static String recordingRules(List<String> exprs) {
        StringBuilder b = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            b.append("  - record: dashboard_query_").append(i).append("\n    expr: |\n");
            for (String line : exprs.get(i).split("\n")) {
                b.append("      ").append(line).append('\n');
            }
        }
        return b.toString();
    }
}
