package io.keel.backend.memory;

/**
 * Reads a whole-number system property strictly: {@link Long#getLong} takes a value that is not a
 * number for the default without a word, so a mistyped {@code -Dkeel.idleTrimSeconds=5s} would
 * silently mean 5 s; here it stops the member with the property's name and text instead.
 */
final class LongProperty {
    private LongProperty() {
    }

    /**
     * @return the property's value, or {@code defaultValue} when it is not set
     * @throws IllegalArgumentException naming the property when its text is not a whole number
     */
    static long read(String name, long defaultValue) {
        String text = System.getProperty(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + text, e);
        }
    }
}
