package io.keel.backend.cli;

import io.keel.storage.mvcc.snapshot.SnapshotInspector;
import io.keel.storage.mvcc.snapshot.SnapshotStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code keelutl snapshot status <file>}: etcdctl's command of that name over a Keel snapshot,
 * with its four output formats and exit codes. Stateless; runs on the caller's thread.
 */
final class SnapshotStatusCommand {
    private SnapshotStatusCommand() {
    }

    static int run(List<String> positional, String writeOut, PrintStream out, PrintStream err) {
        if (positional.size() != 1) {
            err.println("Error: snapshot status requires exactly one argument");
            return KeelUtlMain.EXIT_BAD_ARGS;
        }
        if (!List.of("simple", "table", "json", "fields").contains(writeOut)) {
            err.println("Error: " + writeOut + " not supported as output format");
            return KeelUtlMain.EXIT_BAD_FEATURE;
        }
        SnapshotStatus s;
        try {
            s = SnapshotInspector.inspect(Path.of(positional.get(0)));
        } catch (NoSuchFileException e) {
            err.println("Error: stat " + positional.get(0) + ": no such file or directory");
            return KeelUtlMain.EXIT_ERROR;
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return KeelUtlMain.EXIT_ERROR;
        }
        out.print(format(s, writeOut));
        return 0;
    }

    /** The status in one of etcdctl's formats, newline-terminated. */
    static String format(SnapshotStatus s, String writeOut) {
        String hash = Integer.toHexString(s.hash());
        String hashNumber = Integer.toUnsignedString(s.hash());
        return switch (writeOut) {
            case "simple" -> String.join(", ", hash, Long.toString(s.revision()), Long.toString(s.totalKeys()),
                    HumanBytes.format(s.totalBytes())) + "\n";
            case "table" -> AsciiTable.render(List.of("hash", "revision", "total keys", "total size"),
                    List.of(List.of(hash, Long.toString(s.revision()), Long.toString(s.totalKeys()),
                            HumanBytes.format(s.totalBytes()))));
            case "json" -> "{\"hash\":" + hashNumber + ",\"revision\":" + s.revision() + ",\"totalKey\":"
                    + s.totalKeys() + ",\"totalSize\":" + s.totalBytes() + "}\n";
            case "fields" -> "\"Hash\" : " + hashNumber + "\n\"Revision\" : " + s.revision() + "\n\"Keys\" : "
                    + s.totalKeys() + "\n\"Size\" : " + s.totalBytes() + "\n";
            default -> throw new IllegalArgumentException("unsupported format " + writeOut);
        };
    }
}
