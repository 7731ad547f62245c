package io.keel.backend.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LongPropertyTest {
    private static final String NAME = "keel.test.longProperty";

    @AfterEach
    void clear() {
        System.clearProperty(NAME);
    }

    @Test
    void unsetIsTheDefault() {
        assertThat(LongProperty.read(NAME, 5)).isEqualTo(5);
    }

    @Test
    void readsAWholeNumberAroundSpaces() {
        System.setProperty(NAME, " 12 ");
        assertThat(LongProperty.read(NAME, 5)).isEqualTo(12);
        System.setProperty(NAME, "0");
        assertThat(LongProperty.read(NAME, 5)).isZero();
    }

    @Test
    void refusesTextThatLongGetLongWouldTakeForTheDefault() {
        for (String text : new String[] {"5s", "", "1.5", "ten"}) {
            System.setProperty(NAME, text);
            assertThatThrownBy(() -> LongProperty.read(NAME, 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(NAME + " must be a whole number: " + text);
        }
    }
}
