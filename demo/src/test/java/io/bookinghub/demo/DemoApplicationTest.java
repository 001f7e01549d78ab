package io.bookinghub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.HubConfiguration;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import org.junit.jupiter.api.Test;

class DemoApplicationTest {

    @Test
    void addsTheDemoCommandToEveryCommandOfTheHub() {
        DemoApplication application = new DemoApplication();
        Bootstrap<HubConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);

        assertThat(bootstrap.getCommands()).extracting(Command::getName).contains("demo", "db");
    }
}
