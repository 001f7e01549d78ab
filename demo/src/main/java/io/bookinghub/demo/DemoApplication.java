package io.bookinghub.demo;

import io.bookinghub.hub.HubApplication;
import io.bookinghub.hub.HubConfiguration;
import io.dropwizard.core.setup.Bootstrap;

/**
 * The hub plus the {@code demo} command, which runs a Booksy sandbox beside it. A separate application (and
 * jar, {@code demo/target/booking-hub-demo.jar}) so that the production hub never carries the simulator;
 * every command of the hub ({@code server}, {@code db ...}) works here too.
 */
public final class DemoApplication extends HubApplication {

    public static void main(String[] args) throws Exception {
        new DemoApplication().run(args);
    }

    @Override
    public void initialize(Bootstrap<HubConfiguration> bootstrap) {
        super.initialize(bootstrap);
        bootstrap.addCommand(new DemoCommand(this));
    }
}
