package io.keel.backend.cli;

import io.keel.server.alarm.AlarmStore;
import io.keel.server.config.Flag;
import io.keel.server.config.FlagException;
import io.keel.server.config.ServerConfig;
import io.keel.server.config.ServerConfigParser;
import io.keel.server.membership.InitialMembership;
import io.keel.server.membership.MemberIds;
import io.keel.server.membership.MemberStore;
import io.keel.storage.mvcc.MvccConfig;
import io.keel.storage.mvcc.NewClusterDb;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code keelutl snapshot restore <file> [flags]}: etcdctl's command of that name. It writes a new
 * data dir holding the snapshot's keys with the old cluster's membership removed and the applied
 * index reset; a member started on it with the same {@code --name}, {@code --initial-cluster} and
 * {@code --initial-cluster-token} (and {@code --initial-cluster-state new}) bootstraps a new
 * cluster, with a new cluster id, that serves the snapshot's data. Stateless; runs on the caller's
 * thread.
 */
final class SnapshotRestoreCommand {
    /** The aux databases a member's store has (as {@code KeelMember} opens it). */
    static final List<String> MEMBER_BUCKETS = MemberStore.bucketsWith(AlarmStore.BUCKET);
    /** etcd's defaults for the restore flags. */
    static final String DEFAULT_NAME = "default";
    static final String DEFAULT_PEER_URLS = "http://localhost:2380";

    private SnapshotRestoreCommand() {
    }

    static int run(CommandArgs args, PrintStream out, PrintStream err) {
        List<String> positional = args.positional();
        if (positional.size() != 1) {
            err.println("Error: snapshot restore requires exactly one argument");
            return KeelUtlMain.EXIT_BAD_ARGS;
        }
        Path snapshot = Path.of(positional.get(0));
        String name = args.flag("name", DEFAULT_NAME);
        String dataDirText = args.flag("data-dir", "");
        Path dataDir = Path.of(dataDirText.isEmpty() ? name + ".keel" : dataDirText);
        Map<Flag, String> flags = new EnumMap<>(Flag.class);
        flags.put(Flag.NAME, name);
        flags.put(Flag.DATA_DIR, dataDir.toString());
        flags.put(Flag.INITIAL_CLUSTER, args.flag("initial-cluster", (name.isEmpty() ? DEFAULT_NAME : name)
                + "=" + DEFAULT_PEER_URLS));
        flags.put(Flag.INITIAL_CLUSTER_TOKEN, args.flag("initial-cluster-token", "etcd-cluster"));
        flags.put(Flag.INITIAL_ADVERTISE_PEER_URLS, args.flag("initial-advertise-peer-urls", DEFAULT_PEER_URLS));
        InitialMembership membership;
        try {
            ServerConfig config = ServerConfigParser.fromFlags(flags).validate();
            membership = InitialMembership.of(config);
        } catch (FlagException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return KeelUtlMain.EXIT_ERROR;
        }
        if (Files.exists(dataDir)) {
            err.println("Error: data-dir \"" + dataDir + "\" exists");
            return KeelUtlMain.EXIT_ERROR;
        }
        // RaftLogConfig's layout (member/snap/db), spelt out so this tool never loads Chronicle.
        Path db = dataDir.resolve("member").resolve("snap").resolve("db");
        log(err, "restoring snapshot", snapshot, dataDir, db, membership);
        try {
            NewClusterDb.write(snapshot, args.bool("skip-hash-check"), MvccConfig.defaults(db, MEMBER_BUCKETS),
                    MemberStore.BUCKETS);
        } catch (IOException | RuntimeException e) {
            deleteTree(dataDir);
            Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            err.println("Error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            return KeelUtlMain.EXIT_ERROR;
        }
        log(err, "restored snapshot", snapshot, dataDir, db, membership);
        return 0;
    }

    /** etcdctl logs the restore as JSON lines on stderr; so does this. */
    private static void log(PrintStream err, String msg, Path snapshot, Path dataDir, Path db, InitialMembership m) {
        err.println("{\"level\":\"info\",\"ts\":\"" + java.time.Instant.now() + "\",\"caller\":\"cli/keelutl\","
                + "\"msg\":\"" + msg + "\",\"path\":\"" + snapshot + "\",\"data-dir\":\"" + dataDir
                + "\",\"snap-dir\":\"" + db.getParent() + "\",\"cluster-id\":\"" + MemberIds.toHex(m.clusterId())
                + "\",\"local-member-id\":\"" + MemberIds.toHex(m.localMemberId()) + "\"}");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the error already reported is the one that matters
        }
    }
}
