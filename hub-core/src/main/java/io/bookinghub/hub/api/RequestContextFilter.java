package io.bookinghub.hub.api;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.tracing.HubTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request on the application port a request id and a server span. The id is the caller's
 * {@code X-Request-Id} when it is a short token (letters, digits, {@code . _ : -}, at most 64 characters; anything
 * else could forge log lines or grow them), else a new random one; it is in the MDC as {@code requestId} for every
 * log line of the request and echoed in the response header. The span continues the caller's W3C
 * {@code traceparent} and is named after the matched route by {@link RequestMetrics}.
 */
public final class RequestContextFilter implements Filter {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** The request attribute holding the span, so the route can be named on it once Jersey matched one. */
    static final String SPAN = RequestContextFilter.class.getName() + ".span";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final HubTracing tracing;
    private final RandomGenerator random;

    public RequestContextFilter(HubTracing tracing, RandomGenerator random) {
        this.tracing = requireNonNull(tracing, "tracing is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String requestId = requestId(request.getHeader(HEADER));
        response.setHeader(HEADER, requestId);
        Span span = tracing.span("HTTP " + request.getMethod(), SpanKind.SERVER)
                .setParent(tracing.extract(request.getHeader("traceparent")))
                .setAttribute("http.request.method", request.getMethod())
                .startSpan();
        request.setAttribute(SPAN, span);
        MDC.put(MDC_KEY, requestId);
        try (Scope ignored = span.makeCurrent()) {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
            int status = response.getStatus();
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    String requestId(String given) {
        if (given != null && VALID.matcher(given).matches()) {
            return given;
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
