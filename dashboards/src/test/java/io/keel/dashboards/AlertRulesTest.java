package io.keel.dashboards;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Our alert rules pass promtool's checks and their unit tests. */
class AlertRulesTest {
    private final Path rules = ReferenceFiles.module().resolve("prometheus");

    @Test
    void keelAlertRulesPassPromtoolCheckRules() throws Exception {
        Promtool.Result r = Promtool.run(rules, "check", "rules", "keel-alerts.yaml");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void keelAlertRulesPassTheirUnitTests() throws Exception {
        Promtool.Result r = Promtool.run(rules, "test", "rules", "keel-alerts.test.yaml");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void everyEtcdAlertHasAKeelCounterpart() throws Exception {
        String keel = java.nio.file.Files.readString(rules.resolve("keel-alerts.yaml"));
        for (String line : java.nio.file.Files.readAllLines(ReferenceFiles.referenceDir().resolve("etcd-alert-rules.yaml"))) {
            String t = line.trim();
            if (t.startsWith("- alert: etcd")) {
                String keelName = "Keel" + t.substring("- alert: etcd".length());
                assertThat(keel).as("counterpart of " + t).contains("- alert: " + keelName);
            }
        }
    }
}
