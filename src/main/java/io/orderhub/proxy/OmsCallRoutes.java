package io.orderhub.proxy;

import io.orderhub.HubProperties;
import io.orderhub.tenants.Tenant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Gives each tenant its own OMS call route, made from the {@code oms-call} route template (routes/oms-call.camel.yaml)
 * on the tenant's first proxied request. Camel's circuit breaker belongs to the route it is defined in, so one route
 * per tenant is what gives each tenant its own breaker, timeout and bulkhead, while the breaker stays a named step of
 * the YAML and each tenant's calls show up as their own route in Hawtio. Made on demand, so every hub instance makes
 * its own without any start-up sync.
 */
@Component("omsCallRoutes")
public class OmsCallRoutes {

    private final CamelContext camel;
    private final HubProperties hub;

    public OmsCallRoutes(CamelContext camel, HubProperties hub) {
        this.camel = camel;
        this.hub = hub;
    }

    /** Sets exchange property {@code omsCall} to the tenant's call route, making the route first if need be. */
    public void ensure(Exchange exchange) throws Exception {
        Tenant tenant = exchange.getProperty(OmsProxy.TENANT, Tenant.class);
        String routeId = "oms-call-" + tenant.tenantId();
        if (camel.getRoute(routeId) == null) {
            synchronized (this) {
                if (camel.getRoute(routeId) == null) {
                    HubProperties.Proxy p = hub.proxy();
                    // the breaker's time limiter runs each call on this pool. Without one, Camel hands the calls to
                    // the JVM's common pool: shared by every tenant (so a hung OMS could starve the others' calls on
                    // a machine with more cores) and, on two cores, a new thread per call. Sized like the bulkhead;
                    // calls that outlive the timeout queue here instead of spilling into another tenant's threads.
                    // A full queue rejects (Abort) rather than running the call on the request thread, outside the
                    // timeout; idle threads end, so a tenant that stops using proxy mode keeps none. The queue only
                    // fills when calls outlive their timeout faster than the OMS's socket timeouts end them.
                    int threads = Math.max(1, p.bulkhead());
                    java.util.concurrent.ExecutorService pool = new org.apache.camel.builder.ThreadPoolBuilder(camel)
                            .poolSize(threads)
                            .maxPoolSize(threads)
                            .maxQueueSize(threads * 4)
                            .keepAliveTime(60L)
                            .rejectedPolicy(org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy.Abort)
                            .build(this, routeId);
                    if (pool instanceof java.util.concurrent.ThreadPoolExecutor executor) {
                        executor.allowCoreThreadTimeOut(true);
                    }
                    // bound before the route is made: the breaker looks it up while the route is built
                    camel.getRegistry()
                            .bind(executorName(tenant.tenantId()), java.util.concurrent.ExecutorService.class, pool);
                    try {
                        TemplatedRouteBuilder.builder(camel, "oms-call")
                                .routeId(routeId)
                                // node ids must be unique across routes: the tenant prefixes this route's step ids
                                .prefixId(tenant.tenantId() + "-")
                                .parameter("tenantId", tenant.tenantId())
                                .parameter("timeoutMillis", p.timeout().toMillis())
                                .parameter("bulkhead", p.bulkhead())
                                .parameter("failureRatePercent", p.failureRatePercent())
                                .parameter("minimumCalls", p.minimumCalls())
                                .parameter("slidingWindow", p.slidingWindow())
                                .parameter(
                                        "openForSeconds",
                                        Math.max(1, p.openFor().toSeconds()))
                                .add();
                    } catch (Exception e) {
                        camel.getRegistry().unbind(executorName(tenant.tenantId()));
                        camel.getExecutorServiceManager().shutdownNow(pool);
                        throw e;
                    }
                }
            }
        }
        exchange.setProperty("omsCall", "direct:" + routeId);
    }

    /** The registry name of a tenant's OMS call pool (the template's {@code timeoutExecutorService}). */
    static String executorName(String tenantId) {
        return "omsCallExecutor-" + tenantId;
    }
}
