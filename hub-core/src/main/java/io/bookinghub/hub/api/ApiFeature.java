package io.bookinghub.hub.api;

import io.bookinghub.hub.metrics.HubMetrics;
import io.bookinghub.hub.tracing.HubTracing;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What every route shares: one JSON error shape for every answer (Jersey's, Dropwizard's and Jetty's errors
 * included) and strict reading of request input. Replaces Dropwizard's default exception mappers, whose
 * {@code {code,message}} and {@code {errors:[...]}} bodies are other shapes.
 */
public final class ApiFeature {
    private ApiFeature() {
    }

    /**
     * Registers the mappers, the parameter filter and Jetty's error handlers; makes the JSON reader strict; gives
     * every request a request id, a span and its place in the request metrics.
     */
    public static void register(Environment environment, ServerFactory serverFactory, RandomGenerator random,
            HubMetrics metrics, HubTracing tracing) {
        // The configuration file was read with the lenient mapper already; from here on it reads requests only.
        StrictJson.configure(environment.getObjectMapper());
        if (serverFactory instanceof AbstractServerFactory factory) {
            // Set here rather than in config.yml, so no configuration file can bring the other shapes back.
            factory.setRegisterDefaultExceptionMappers(false);
        }
        environment.jersey().register(new UnexpectedExceptionMapper(random));
        environment.jersey().register(new ConnectorExceptionMapper());
        environment.jersey().register(new JsonExceptionMapper());
        environment.jersey().register(new ViolationExceptionMapper());
        environment.jersey().register(new ParamExceptionMapper());
        // Kept from Dropwizard's defaults: a client that hangs up mid-answer is not an error of the hub.
        environment.jersey().register(EofExceptionWriterInterceptor.class);
        environment.jersey().register(new StrictParametersFilter());
        environment.jersey().register(new RequestMetrics(metrics));
        environment.servlets().addFilter("request-context", new RequestContextFilter(tracing, random))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        environment.jersey().register(new ETagFilter(environment.getObjectMapper()));

        JsonErrorHandler errors = new JsonErrorHandler();
        environment.getApplicationContext().setErrorHandler(errors);
        environment.getAdminContext().setErrorHandler(errors);
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(errors);
                }
            }
        });
    }
}
