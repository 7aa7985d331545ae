package io.orderhub.support;

import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Keeps Camel's JMX on in the test hub, as in production: Hawtio and Jolokia see routes only through it, and
 * {@code @CamelSpringBootTest} switches it off for the thread that builds the context unless each class says otherwise.
 */
public final class CamelJmxOn implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        // runs on that same thread after the test listener and before the Camel context is constructed
        DefaultCamelContext.setDisableJmx(false);
    }
}
