package io.mailtrail.web;

import static io.mailtrail.web.TraceRows.TRACE_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code <mailtrail-timeline>} in Debian's headless Chromium against a running {@link TestHub} with
 * {@code mailtrail.web.trace-url} set: a row in a trace shows the first 8 digits of its trace id,
 * linked to the tracing backend; a row in no trace shows none. Fails, never skips, when Chromium is
 * missing.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceTimelineBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final TestDatabase db;
    private TestHub hub;
    private ChromeDriver browser;

    TraceTimelineBrowserTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install them with: apt-get install -y chromium chromium-driver");
        }
        TraceRows.insert(db);
        hub = new TestHub(db, "mailtrail.web.trace-url=https://tracing.example/trace/{traceId}");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("trace-chromium-profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        // The component's requests go out as a signed-in reader's would: HTTP Basic on every request.
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("reader:pw".getBytes(StandardCharsets.UTF_8)))));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aRowInATraceShowsItsShortIdLinkedToTheTracingBackend() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);

        browser.get(hub.url("/trace-timeline.html"));
        wait.until(d -> events().size() == 3);

        List<WebElement> events = events();
        assertThat(events.get(0).getText()).contains("read in no trace");
        assertThat(events.get(0).findElements(By.cssSelector(".trace"))).isEmpty();
        for (WebElement event : events.subList(1, 3)) {
            WebElement trace = event.findElement(By.cssSelector("a.trace"));
            assertThat(trace.getText()).isEqualTo(TRACE_A.substring(0, 8));
            assertThat(trace.getAttribute("href")).isEqualTo("https://tracing.example/trace/" + TRACE_A);
            assertThat(trace.getAttribute("title")).isEqualTo("trace " + TRACE_A);
            assertThat(trace.getAttribute("rel")).isEqualTo("noopener noreferrer");
        }
    }

    private List<WebElement> events() {
        SearchContext shadow = (SearchContext) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('mailtrail-timeline').shadowRoot");
        return shadow.findElements(By.cssSelector("li.event"));
    }
}
