package io.keel.backend.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.http.HttpConnection;

/**
 * etcd 3.4's clients (etcdctl {@code endpoint status}, {@code endpoint hashkv}) dial an endpoint
 * given with a scheme as the gRPC target {@code passthrough:///http://host:port}, and so send
 * {@code :authority: http://host:port}. etcd's grpc-go server accepts that; Vert.x 5 resets the
 * stream as malformed. This rewrites such an authority to its {@code host:port} before Vert.x
 * reads the request. It reaches into Vert.x's connection (not a public API): if that changes, the
 * fix is skipped and only those two etcd 3.4 commands are affected (EtcdctlInteropTest shows it).
 * Stateless; the installed listener runs on the connection's event loop.
 */
final class GrpcGoAuthorityFix {
    private GrpcGoAuthorityFix() {
    }

    /** Installs the rewrite on an HTTP/2 connection; a no-op for HTTP/1.x or unknown internals. */
    static void install(HttpConnection connection) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            return;
        }
        Http2ConnectionHandler handler = base.channel().pipeline().get(Http2ConnectionHandler.class);
        if (handler == null) {
            return;
        }
        Http2FrameListener current = handler.decoder().frameListener();
        if (!(current instanceof Rewriting)) {
            handler.decoder().frameListener(new Rewriting(current));
        }
    }

    /** {@code http://host:port[/...]} to {@code host:port}; anything else unchanged. */
    static CharSequence fixed(CharSequence authority) {
        if (authority == null) {
            return null;
        }
        String a = authority.toString();
        int scheme = a.indexOf("://");
        if (scheme < 0) {
            return authority;
        }
        String rest = a.substring(scheme + 3);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static final class Rewriting extends Http2FrameListenerDecorator {
        Rewriting(Http2FrameListener delegate) {
            super(delegate);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endStream) throws Http2Exception {
            rewrite(headers);
            super.onHeadersRead(ctx, streamId, headers, padding, endStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endStream)
                throws Http2Exception {
            rewrite(headers);
            super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
        }

        private static void rewrite(Http2Headers headers) {
            CharSequence authority = headers.authority();
            CharSequence fixed = fixed(authority);
            if (fixed != authority) {
                headers.authority(fixed);
            }
        }
    }
}
