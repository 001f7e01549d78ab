package io.bookinghub.hub.api;

import io.bookinghub.hub.metrics.HubMetrics;
import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * API requests counted and timed by route template (e.g. {@code /admin/businesses/{id}}), method and status, never
 * by the path as sent: a path holds tenant ids. Requests no route matched count as route {@code unmatched}.
 */
final class RequestMetrics implements ApplicationEventListener {
    static final String UNMATCHED = "unmatched";

    private final Counter requests;
    private final Histogram latency;

    RequestMetrics(HubMetrics metrics) {
        this.requests = metrics.counter("hub_api_requests", "API requests by route template, method and status",
                "route", "method", "status");
        this.latency = metrics.seconds("hub_api_request_seconds", "API request latency by route template",
                "route", "method");
    }

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long started = System.nanoTime();
        return event -> {
            if (event.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            ContainerRequest request = event.getContainerRequest();
            String route = route(event.getUriInfo());
            String method = request.getMethod();
            int status = event.getContainerResponse() == null ? 500 : event.getContainerResponse().getStatus();
            requests.labelValues(route, method, Integer.toString(status)).inc();
            latency.labelValues(route, method).observe((System.nanoTime() - started) / 1e9);
            if (request.getProperty(RequestContextFilter.SPAN) instanceof Span span) {
                span.updateName(method + " " + route);
                span.setAttribute("http.route", route);
            }
        };
    }

    /** The matched resource method's full path template, or {@link #UNMATCHED}. */
    private static String route(ExtendedUriInfo uri) {
        if (uri == null || uri.getMatchedResourceMethod() == null) {
            return UNMATCHED;
        }
        StringBuilder path = new StringBuilder();
        List<UriTemplate> templates = uri.getMatchedTemplates();
        // Innermost first: the resource method's template, then its class's (and any sub-resource locator's).
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (part.endsWith("/")) {
                part = part.substring(0, part.length() - 1);
            }
            if (!part.isEmpty()) {
                path.append(part.startsWith("/") ? "" : "/").append(part);
            }
        }
        return path.length() == 0 ? "/" : path.toString();
    }
}
