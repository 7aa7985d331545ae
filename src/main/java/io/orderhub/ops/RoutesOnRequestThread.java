package io.orderhub.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Runs the REST routes on the web server's request thread and answers in the same dispatch.
 *
 * <p>As shipped, platform-http on Spring Boot hands every request to Spring's task executor and answers through a
 * servlet async re-dispatch: a thread hop, then Tomcat, the filters, the DispatcherServlet and the handler lookup all a
 * second time. Profiled on the ingest PUT that second pass and the hop were about a third of the request threads' CPU.
 * The routes block on the database anyway, so a separate pool buys nothing: the engine gets an executor that runs the
 * route in the calling thread, and the already completed answer is taken as handled instead of being re-dispatched.
 * Concurrency is then bounded by the web server's threads ({@code server.tomcat.threads.max}).
 */
@Configuration(proxyBeanMethods = false)
public class RoutesOnRequestThread {

    @Bean
    static BeanPostProcessor platformHttpOnRequestThread() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof SpringBootPlatformHttpEngine engine) {
                    return new SpringBootPlatformHttpEngine(engine.getServerPort(), Runnable::run);
                }
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
                    handlers.add(new CompletedAnswer());
                    handlers.addAll(adapter.getReturnValueHandlers());
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /**
     * A platform-http consumer's future that is already complete: the route has written the response, so the request
     * is done. Anything else goes to Spring's own handling (an unfinished future becomes an async request as before).
     */
    static final class CompletedAnswer implements HandlerMethodReturnValueHandler {

        private final DeferredResultMethodReturnValueHandler asynchronous =
                new DeferredResultMethodReturnValueHandler();

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return PlatformHttpConsumer.class.isAssignableFrom(returnType.getContainingClass())
                    && CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(
                Object returnValue,
                MethodParameter returnType,
                ModelAndViewContainer mavContainer,
                NativeWebRequest webRequest)
                throws Exception {
            CompletableFuture<?> answer = (CompletableFuture<?>) returnValue;
            if (answer == null || !answer.isDone()) {
                asynchronous.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
                return;
            }
            try {
                answer.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
            mavContainer.setRequestHandled(true);
        }
    }
}
