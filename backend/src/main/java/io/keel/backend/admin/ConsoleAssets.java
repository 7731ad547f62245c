package io.keel.backend.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the console's static files (built by the web-ui module into the classpath folder
 * {@code keel-ui/}) under {@code /ui}. Files are read once from the jar, on first request, and
 * kept in memory (the whole console is a few hundred KiB); unknown paths under /ui get index.html
 * so the single-page app's own routes survive a reload. Thread-safe.
 */
public final class ConsoleAssets {
    static final String ROOT = "keel-ui/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "json", "application/json", "png", "image/png", "ico", "image/x-icon");
    private final Map<String, Buffer> cache = new ConcurrentHashMap<>();
    private static final Buffer MISSING = Buffer.buffer();

    /** Whether the console was built into this classpath (the web-ui jar is present). */
    public static boolean available() {
        return ConsoleAssets.class.getClassLoader().getResource(ROOT + "index.html") != null;
    }

    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals("/ui")) {
            req.response().setStatusCode(302).putHeader("Location", "/ui/").end();
            return;
        }
        String file = path.substring("/ui/".length());
        if (file.isEmpty() || file.contains("..")) {
            file = "index.html";
        }
        Buffer body = load(file);
        if (body == MISSING && !file.startsWith("assets/")) {
            file = "index.html";
            body = load(file);
        }
        if (body == MISSING) {
            req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(file.equals("index.html") ? "the console is not built into this server\n" : "404 page not found\n");
            return;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        req.response().putHeader("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"))
                // Vite names assets by content hash, so they never change; index.html always may.
                .putHeader("Cache-Control", file.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache")
                .end(body);
    }

    private Buffer load(String file) {
        return cache.computeIfAbsent(file, f -> {
            try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + f)) {
                return in == null ? MISSING : Buffer.buffer(in.readAllBytes());
            } catch (IOException e) {
                return MISSING;
            }
        });
    }
}
