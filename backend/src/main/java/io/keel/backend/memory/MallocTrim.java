package io.keel.backend.memory;

import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * glibc's {@code malloc_trim(0)}: hands the free pages glibc keeps in its arenas back to the
 * kernel, what {@code jcmd PID System.trim_native_heap} does. Bound through jnr-ffi, which the
 * member has loaded already (LMDB's binding uses it). Empty where the C library has no such
 * function (musl, macOS). Thread-safe.
 */
final class MallocTrim implements Runnable {
    /** The one libc function bound. */
    public interface LibC {
        int malloc_trim(long pad);
    }

    private final LibC libc;

    private MallocTrim(LibC libc) {
        this.libc = libc;
    }

    /** The binding, or empty if libc cannot be loaded or has no {@code malloc_trim}. */
    static Optional<MallocTrim> load() {
        try {
            LibC libc = LibraryLoader.create(LibC.class)
                    .option(LibraryOption.LoadNow, true).failImmediately().load("c");
            return Optional.of(new MallocTrim(libc));
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void run() {
        libc.malloc_trim(0);
    }
}
