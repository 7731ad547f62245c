package io.keel.backend.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real member's log: every line JSON with etcd's leading keys, written to the outputs
 * {@code --log-outputs} names, filtered by {@code --log-level}, and the apply warnings in etcd's
 * shape (made to fire with {@code --experimental-warning-apply-duration 1ns}, not by slowness).
 */
class StructuredLogTest {
    @TempDir
    Path dir;

    private List<JsonObject> runAndReadLog(String level) throws Exception {
        Etcdctl.requireInstalled();
        Path logFile = dir.resolve("logs").resolve("keel.log");
        Files.createDirectories(logFile.getParent());
        KeelProcess member = new KeelProcess("s1", dir.resolve("s1"), FreePorts.next(), FreePorts.next());
        try (member) {
            member.start("s1=" + member.peerUrl(), "new", "--log-level", level,
                    "--log-outputs", "stderr," + logFile, "--enable-log-rotation",
                    "--experimental-warning-apply-duration", "1ns");
            Members.awaitWritable(member.clientUrl());
            assertThat(Etcdctl.run(member.clientUrl(), "put", "logged", "v").ok()).isTrue();
            assertThat(member.stop()).isEqualTo(143);
        }
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            JsonObject json = new JsonObject(line);
            assertThat(new ArrayList<>(json.fieldNames()).subList(0, 4)).as(line)
                    .containsExactly("level", "ts", "caller", "msg");
            assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(json.getString("caller")).matches("[a-z]+/[A-Za-z0-9$]+\\.java");
            lines.add(json);
        }
        return lines;
    }

    @Test
    void atInfoTheLogFileHasEtcdsStartupLinesAndApplyWarnings() throws Exception {
        List<JsonObject> lines = runAndReadLog("info");
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.getString("msg")).isEqualTo("starting an etcd server");
            assertThat(l.getString("level")).isEqualTo("info");
            assertThat(l.getString("name")).isEqualTo("s1");
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.getString("msg")).isEqualTo("serving client traffic insecurely; this is strongly discouraged!");
            assertThat(l.getString("address")).startsWith("127.0.0.1:");
        });
        JsonObject warning = lines.stream().filter(l -> l.getString("msg").equals("apply request took too long")
                && l.getString("request").contains("put:<key:\"logged\"")).findFirst().orElseThrow();
        assertThat(new ArrayList<>(warning.fieldNames())).containsExactly("level", "ts", "caller", "msg", "took",
                "expected-duration", "prefix", "request", "response");
        assertThat(warning.getString("level")).isEqualTo("warn");
        assertThat(warning.getString("expected-duration")).isEqualTo("1ns");
        assertThat(warning.getString("request")).matches("header:<ID:\\d+ > put:<key:\"logged\" value_size:1 >");
        assertThat(lines).anySatisfy(l -> assertThat(l.getString("msg")).isEqualTo("stopped"));
    }

    @Test
    void atWarnNoInfoLineIsWritten() throws Exception {
        List<JsonObject> lines = runAndReadLog("warn");
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l.getString("level")).isIn("warn", "error"));
        assertThat(lines).anySatisfy(l -> assertThat(l.getString("msg")).isEqualTo("apply request took too long"));
    }
}
