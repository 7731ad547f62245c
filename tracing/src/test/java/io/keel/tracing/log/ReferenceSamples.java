package io.keel.tracing.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test helper: etcd 3.4's captured reference logs, kept as test resources under
 * {@code etcd-reference/} (copied from the project's shared reference material, so that a clean
 * clone on CI has them and the tests comparing with them run rather than skip).
 */
public final class ReferenceSamples {
    private ReferenceSamples() {
    }

    /** The lines of {@code name}. */
    public static List<String> lines(String name) throws IOException {
        try (InputStream in = ReferenceSamples.class.getResourceAsStream("/etcd-reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource etcd-reference/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
