package io.rpcenv.runtime.internal.status;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP connection's requests: checks the token when authentication is on, routes {@code
 * GET} and {@code HEAD} to the page, its assets, {@code /metrics} and {@code /api/v1/*}, and
 * answers everything else with a short plain-text 4xx. Runs on the HTTP server's own thread.
 */
final class StatusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(StatusHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final StatusApi api;
  private final StaticAssets assets;
  private final UiToken token; // null: no authentication
  private final boolean tls;

  StatusHandler(StatusApi api, StaticAssets assets, UiToken token, boolean tls) {
    this.api = api;
    this.assets = assets;
    this.token = token;
    this.tls = tls;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      Throwable cause = req.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpLineException
              ? HttpResponseStatus.REQUEST_URI_TOO_LONG
              : cause instanceof TooLongHttpHeaderException
                  ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                  : cause instanceof TooLongFrameException
                      ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                      : HttpResponseStatus.BAD_REQUEST;
      respond(ctx, req, status, TEXT, status.reasonPhrase() + ": malformed request\n", false);
      return;
    }
    if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      HttpResponseStatus status = HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
      respond(ctx, req, status, TEXT, "Only HTTP/1.0 and HTTP/1.1 are served here\n", false);
      return;
    }
    boolean head = req.method().equals(HttpMethod.HEAD);
    if (!head && !req.method().equals(HttpMethod.GET)) {
      respond(
          ctx,
          req,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          TEXT,
          "Only GET and HEAD are served here\n",
          true);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String fromUrl = first(uri.parameters().get("token"));
    boolean setCookie = false;
    if (token != null) {
      setCookie = token.matches(fromUrl);
      if (!setCookie && !token.matches(cookie(req))) {
        respond(
            ctx,
            req,
            HttpResponseStatus.UNAUTHORIZED,
            TEXT,
            "Authentication is on (spark.authenticate): open the status page's address as the"
                + " driver printed it, with its token\n",
            true);
        return;
      }
    }
    String path = uri.rawPath();
    FullHttpResponse res = route(path);
    if (res == null) {
      respond(
          ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "Nothing is served at this path\n", true);
      return;
    }
    if (setCookie) {
      DefaultCookie c = new DefaultCookie(UiToken.COOKIE, token.value());
      c.setHttpOnly(true);
      c.setPath("/");
      c.setSecure(tls);
      c.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Strict);
      res.headers().set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(c));
    }
    send(ctx, req, res, head, true);
  }

  /** The response for {@code path}, or null if nothing is served there. */
  private FullHttpResponse route(String path) {
    if (path.equals("/metrics")) {
      return ok(PROMETHEUS, api.metrics().getBytes(StandardCharsets.UTF_8));
    }
    if (path.startsWith("/api/v1/")) {
      String doc = api.document(path.substring("/api/v1/".length()));
      return doc == null ? null : ok(JSON, doc.getBytes(StandardCharsets.UTF_8));
    }
    StaticAssets.Asset a = assets.get(path);
    return a == null ? null : ok(a.contentType(), a.bytes());
  }

  private static FullHttpResponse ok(String contentType, byte[] body) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return res;
  }

  private void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      HttpResponseStatus status,
      String type,
      String body,
      boolean keepAlive) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    }
    send(ctx, req, res, req.method().equals(HttpMethod.HEAD), keepAlive);
  }

  private static void send(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      FullHttpResponse res,
      boolean head,
      boolean keepAlive) {
    res.headers()
        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    if (head) {
      res.content().clear();
    }
    boolean keep = keepAlive && HttpUtil.isKeepAlive(req);
    if (!keep) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var written = ctx.writeAndFlush(res);
    if (!keep) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String cookie(FullHttpRequest req) {
    String header = req.headers().get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
      if (c.name().equals(UiToken.COOKIE)) {
        return c.value();
      }
    }
    return null;
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close(); // idle or stalled mid-request: a slow client does not keep a connection
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Status page connection from {} failed: {}", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
