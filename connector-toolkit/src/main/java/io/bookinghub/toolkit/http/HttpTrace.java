package io.bookinghub.toolkit.http;

import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.util.Collection;

/**
 * Sees every attempt {@link ProviderHttp} makes, e.g. for a connector's debug log. {@code secrets} are the
 * credential values sent with the attempt: an implementation that writes anything down must mask them (a provider's
 * error body may echo the token it rejected).
 */
public interface HttpTrace {
    /** Traces nothing. */
    HttpTrace NONE = new HttpTrace() {
    };

    default void request(OutboundRequest request, Collection<String> secrets) {
    }

    /** A response that arrived (any status) for {@code request}. */
    default void response(ProviderRequest request, OutboundResponse response, Collection<String> secrets) {
    }
}
