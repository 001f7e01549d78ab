package io.bookinghub.hub.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health split by meaning, on the admin port, for orchestrators: {@code /health/live} answers 200 while the process
 * can serve (restart it when this fails), {@code /health/ready} answers 200 only when the database answers, every
 * migration is applied and every plugin loaded, else 503 (take the node out of rotation, do not restart it).
 * A tenant's broken connection is neither: it shows in that connection's status and in {@code hub_connections}.
 * Dropwizard's {@code /healthcheck} still runs every check.
 */
public final class HealthFeature {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    /** The health checks readiness needs: the pool's database check, migrations, plugins. */
    static final List<String> READINESS = List.of("postgresql", "migrations", "plugins");

    private HealthFeature() {
    }

    public static void register(Environment environment) {
        ObjectMapper json = environment.getObjectMapper();
        environment.admin().addServlet("health-live", new Probe(json, null)).addMapping(LIVE);
        environment.admin().addServlet("health-ready", new Probe(json, environment.healthChecks()))
                .addMapping(READY);
    }

    /** Liveness without checks; readiness with the {@link #READINESS} checks. */
    private static final class Probe extends HttpServlet {
        private final transient ObjectMapper json;
        private final transient HealthCheckRegistry checks;

        Probe(ObjectMapper json, HealthCheckRegistry checks) {
            this.json = json;
            this.checks = checks;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            boolean up = true;
            if (checks != null) {
                Map<String, Object> results = new LinkedHashMap<>();
                for (String name : READINESS) {
                    HealthCheck.Result result = checks.getNames().contains(name) ? checks.runHealthCheck(name)
                            : HealthCheck.Result.unhealthy("not registered");
                    up &= result.isHealthy();
                    results.put(name, Map.of("healthy", result.isHealthy(),
                            "message", result.getMessage() == null ? "" : result.getMessage()));
                }
                body.put("checks", results);
            }
            body.put("status", up ? "UP" : "DOWN");
            response.setStatus(up ? 200 : 503);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            json.writeValue(response.getOutputStream(), body);
        }
    }
}
