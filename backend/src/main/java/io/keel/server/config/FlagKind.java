package io.keel.server.config;

/** How a flag's value is written, with Go's flag package rules. Immutable; thread-safe. */
public enum FlagKind {
    /** {@code --f}, {@code --f=true}, {@code --f=false}; never {@code --f false}. */
    BOOL,
    STRING,
    /** Unsigned integer, decimal or 0x-prefixed hex. */
    UINT,
    /** Signed integer, decimal or 0x-prefixed hex. */
    INT,
    /** Go duration text: {@code 300ms}, {@code 1h30m}, {@code 0}. */
    DURATION
}
