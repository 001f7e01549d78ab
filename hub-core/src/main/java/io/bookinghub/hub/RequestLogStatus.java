package io.bookinghub.hub;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.util.StatusPrinter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * logback-access prints its whole status list ("Found logback-core version ...") to stdout on every start,
 * in a format unlike the rest of the log. This keeps it quiet unless something in it is a warning or an
 * error, which is then printed as before.
 */
final class RequestLogStatus implements LifeCycle.Listener {
    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl log) {
            log.setQuiet(true);
        }
    }

    @Override
    public void lifeCycleStarted(LifeCycle event) {
        if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl log) {
            StatusPrinter.printInCaseOfErrorsOrWarnings(log);
        }
    }
}
