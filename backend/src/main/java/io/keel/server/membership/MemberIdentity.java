package io.keel.server.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * This member's id and its cluster's id, persisted in the data dir when the member first starts
 * (etcd keeps them in its WAL's metadata). A restart must use them rather than recompute them
 * from the flags: a member that joined an existing cluster got its id from MemberAdd and the
 * cluster id from the peers, neither of which the flags give. Immutable value; thread-safe.
 *
 * @param memberId  this member's id
 * @param clusterId the id of the cluster it belongs to
 */
public record MemberIdentity(long memberId, long clusterId) {
    static final String FILE = "identity";

    /** Where the identity lives in {@code dataDir}. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("member").resolve(FILE);
    }

    /** The persisted identity, or null when the data dir has none (a new member). */
    public static MemberIdentity read(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            long member = 0;
            long cluster = 0;
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                long v = Long.parseUnsignedLong(line.substring(eq + 1).trim(), 16);
                switch (line.substring(0, eq).trim()) {
                    case "member" -> member = v;
                    case "cluster" -> cluster = v;
                    default -> { }
                }
            }
            if (member == 0 || cluster == 0) {
                throw new IllegalStateException("incomplete member identity in " + f);
            }
            return new MemberIdentity(member, cluster);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("corrupt member identity in " + f, e);
        }
    }

    /** Writes the identity durably: a synced temporary file renamed into place, then the directory synced. */
    public void write(Path dataDir) {
        Path f = file(dataDir);
        Path tmp = f.resolveSibling(FILE + ".tmp");
        byte[] text = ("member=" + MemberIds.toHex(memberId) + "\ncluster=" + MemberIds.toHex(clusterId) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(f.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text));
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(f.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }
}
