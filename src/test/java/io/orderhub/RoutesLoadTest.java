package io.orderhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.HubTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

/** Every file in routes/ loads on its own, and every route it defines runs in the hub under its id. */
@HubTest
class RoutesLoadTest {

    private static final Pattern ROUTE_ID = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*(\\S+)");

    @Autowired
    CamelContext hub;

    @TestFactory
    Stream<DynamicTest> everyRouteFileLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).as("route files in routes/").isNotEmpty();
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    try (CamelContext fresh = new DefaultCamelContext()) {
                        Resource resource = ResourceHelper.resolveMandatoryResource(fresh, "file:" + file);
                        RoutesLoader loader = PluginHelper.getRoutesLoader(fresh);
                        try {
                            loader.loadRoutes(resource);
                        } catch (Exception e) {
                            throw new AssertionError(file + " does not load: " + e.getMessage(), e);
                        }
                    }
                    Matcher m = ROUTE_ID.matcher(Files.readString(file));
                    while (m.find()) {
                        Route route = hub.getRoute(m.group(1));
                        assertThat(route)
                                .as("route %s of %s runs in the hub", m.group(1), file)
                                .isNotNull();
                    }
                }));
    }
}
