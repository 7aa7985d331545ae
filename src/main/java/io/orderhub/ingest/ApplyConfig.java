package io.orderhub.ingest;

import io.orderhub.HubProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The threads that apply events in parallel, one order each ({@code hub.events.consumers}): a Camel thread pool
 * profile named {@code applyPool}, which the consume route's split refers to. (A Spring bean of type Executor would
 * make Spring Boot drop the task executor platform-http runs on.)
 */
@Configuration(proxyBeanMethods = false)
public class ApplyConfig {

    @Bean
    CamelContextConfiguration applyPool(HubProperties hub) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                int n = hub.events().consumers();
                ThreadPoolProfile profile = new ThreadPoolProfile("applyPool");
                profile.setPoolSize(n);
                profile.setMaxPoolSize(n);
                profile.setMaxQueueSize(n * 4);
                // the caller runs a task when all threads are busy, so a batch never fails for lack of a thread
                profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
                context.getExecutorServiceManager().registerThreadPoolProfile(profile);
            }

            @Override
            public void afterApplicationStart(CamelContext context) {}
        };
    }
}
