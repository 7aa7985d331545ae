package io.orderhub.ingest;

import io.orderhub.HubProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** The threads that apply events in parallel, one order each ({@code hub.events.consumers}). */
@Configuration(proxyBeanMethods = false)
public class ApplyConfig {

    @Bean(destroyMethod = "shutdown")
    public ExecutorService applyExecutor(HubProperties hub) {
        int n = hub.events().consumers();
        // the caller runs a task when all threads are busy, so a batch never fails for lack of a thread
        return new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(n * 4),
                new CustomizableThreadFactory("apply-"), new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
