package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hawtio in a real browser (headless Chromium): an operator logs in through the ops login and finds the hub's routes,
 * by their ids, in Hawtio's Camel routes table, which only fills when Jolokia answers the page's CSRF-protected calls.
 */
@HubTest
class HawtioBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INSTALL = "apt-get install -y chromium chromium-driver";
    /** Hawtio loads the JMX tree and reads every route before the table shows; generous for a slow CI machine. */
    private static final Duration UI_WAIT = Duration.ofSeconds(60);

    private static final List<String> HUB_ROUTES = List.of("oms-order-put", "order-event-apply", "order-event-consume");

    @LocalServerPort
    int port;

    private Path profile;
    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        requireChromium();
        // both paths given explicitly, so Selenium Manager never tries to download a browser or a driver
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("hawtio-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        // the page's console goes into the failure message
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, Level.ALL.getName()));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void opsLogInAndSeeTheHubsRoutesInHawtio() {
        browser.get("http://127.0.0.1:" + port + "/actuator/hawtio/camel/routes");

        // Spring Security's login form (Hawtio's own login is switched off)
        waitFor(
                "Spring Security's login form",
                d -> d.findElements(By.id("username")).isEmpty() ? null : true);
        browser.findElement(By.id("username")).sendKeys("ops");
        browser.findElement(By.id("password")).sendKeys(Hub.OPS_PASSWORD);
        browser.findElement(By.cssSelector("form.login-form button[type=submit]"))
                .click();

        Set<String> listed = waitFor(
                "Hawtio's Camel routes table listing " + HUB_ROUTES,
                d -> routeNames(d).containsAll(HUB_ROUTES) ? routeNames(d) : null);
        assertThat(listed).as("route ids in Hawtio's Camel routes table").containsAll(HUB_ROUTES);
        assertThat(browser.getCurrentUrl()).as("where the login led").contains("/actuator/hawtio/camel/routes");
    }

    /** The route ids in the Name column of Hawtio's Camel routes table. */
    private static Set<String> routeNames(WebDriver d) {
        return d.findElements(By.cssSelector("#camel-routes-table td[data-label='Name']")).stream()
                .map(WebElement::getText)
                .map(String::trim)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Waits at most {@link #UI_WAIT} for {@code condition}; on timeout says what the browser showed instead. */
    private <T> T waitFor(String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(browser, UI_WAIT);
        // React re-renders the table while rows arrive
        wait.ignoring(StaleElementReferenceException.class);
        try {
            return wait.until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "waited " + UI_WAIT.toSeconds() + " s for " + what + "; the browser is at "
                            + browser.getCurrentUrl() + " titled '" + browser.getTitle() + "' showing:\n"
                            + excerpt(visibleText()) + "\nroute names seen: " + routeNames(browser)
                            + "\nbrowser console:\n" + excerpt(console()),
                    e);
        }
    }

    private String visibleText() {
        List<WebElement> body = browser.findElements(By.tagName("body"));
        return body.isEmpty() ? browser.getPageSource() : body.get(0).getText();
    }

    private String console() {
        try {
            return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(entry -> entry.getLevel() + " " + entry.getMessage())
                    .collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            return "(not available: " + e.getMessage() + ")";
        }
    }

    private static String excerpt(String text) {
        return text.length() <= 3000 ? text : text.substring(0, 3000) + "\n...";
    }

    /** Skips where Chromium is not installed, with how to install it; CI must run this test, so there it fails. */
    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "this test drives headless Chromium at " + CHROMIUM + " with " + CHROMEDRIVER
                + ", which are not installed; install them with: " + INSTALL;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true, so the Hawtio browser test must run: " + missing);
        }
        Assumptions.abort(missing);
    }
}
