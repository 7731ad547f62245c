package io.keel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcGoAuthorityFixTest {
    @Test
    void aUrlAuthorityBecomesHostAndPort() {
        assertThat(GrpcGoAuthorityFix.fixed("http://127.0.0.1:2379").toString()).isEqualTo("127.0.0.1:2379");
        assertThat(GrpcGoAuthorityFix.fixed("https://a.example:443/x").toString()).isEqualTo("a.example:443");
    }

    @Test
    void aProperAuthorityIsLeftAlone() {
        String proper = "127.0.0.1:2379";
        assertThat(GrpcGoAuthorityFix.fixed(proper)).isSameAs(proper);
        assertThat(GrpcGoAuthorityFix.fixed(null)).isNull();
    }
}
