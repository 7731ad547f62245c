package io.keel.tracing.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KeelLoggingTest {

    @AfterEach
    void restoreDefaults() throws Exception {
        KeelLogging.configure(LogConfig.defaults().withLevel(LogLevel.WARN));
    }

    @Test
    void slf4jIsBoundToKeelsLoggerAndFollowsTheConfiguredLevelAndOutputs(@TempDir Path dir) throws Exception {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(KeelLoggerFactory.class);
        Logger logger = LoggerFactory.getLogger("io.keel.server.membership.Cluster");
        Path file = dir.resolve("logs").resolve("keel.log");

        KeelLogging.configure(new LogConfig(LogLevel.INFO, List.of(file.toString()), true, 1 << 20, 1));
        logger.debug("hidden");
        logger.atInfo().addKeyValue("cluster-id", "dc50b8daae93b3e0").log("added member");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonObject line = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(line.get("caller").getAsString()).isEqualTo("membership/Cluster.java");
        assertThat(line.get("cluster-id").getAsString()).isEqualTo("dc50b8daae93b3e0");

        KeelLogging.configure(new LogConfig(LogLevel.DEBUG, List.of(file.toString()), false, 1 << 20, 1));
        logger.debug("now shown");
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void javaUtilLoggingIsWrittenAsJsonToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        KeelLogging.configure(new LogConfig(LogLevel.INFO, List.of(file.toString()), false, 1 << 20, 1));
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.opentelemetry.exporter.Sender");
        jul.fine("dropped below info");
        jul.warning("Failed to export spans");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonObject line = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(line.get("level").getAsString()).isEqualTo("warn");
        assertThat(line.get("caller").getAsString()).isEqualTo("exporter/Sender.java");
        assertThat(line.get("msg").getAsString()).isEqualTo("Failed to export spans");
    }

    @Test
    void rejectsBadConfigs() {
        assertThatThrownBy(() -> LogConfig.defaults().withOutputs(List.of()).validate())
                .hasMessageContaining("--log-outputs");
        assertThatThrownBy(() -> LogConfig.defaults().withOutputs(List.of("stderr", "default")).validate())
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> LogConfig.defaults().withOutputs(List.of("/tmp/a.log", "/tmp/a.log")).validate())
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> LogConfig.defaults().withRotation(0, 1).validate())
                .hasMessageContaining("max size");
        assertThatThrownBy(() -> LogLevel.parse("verbose")).hasMessageContaining("--log-level");
        assertThat(LogLevel.parse("WARN")).isEqualTo(LogLevel.WARN);
        assertThat(LogLevel.parse("fatal")).isEqualTo(LogLevel.ERROR);
        assertThat(LogConfig.defaults().validate().outputs()).containsExactly("default");
    }
}
