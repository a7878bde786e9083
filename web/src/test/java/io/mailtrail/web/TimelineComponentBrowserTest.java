package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code <mailtrail-timeline>} and {@code <mailtrail-recent-activity>} in headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}) against the real endpoints and Spring Security
 * (HTTP Basic, sent by the browser through the DevTools protocol). Fails, never skips, when
 * Chromium is missing. Leaves screenshots in {@code target/component-*.png}.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineComponentBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int TRACE_EMAIL = 126;
    private static final String LONG_FRAME = "com.example.invoices.extraction.pdf.internal.DamagedDocumentRecovery"
            + ".extractInvoiceFromDamagedDocument(DamagedDocumentRecovery.java:1234)";
    private static final String STACK_TRACE = "java.lang.IllegalStateException: the PDF is damaged\n\tat " + LONG_FRAME
            + "\n\tat com.example.invoices.InvoiceService.extract(InvoiceService.java:42)\n\tat " + LONG_FRAME;

    private final TestDatabase db;
    private TestHub hub;
    private ChromeDriver browser;
    private WebDriverWait wait;

    TimelineComponentBrowserTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install them with: apt-get install -y chromium chromium-driver");
        }
        SeedData.insert(db);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " created_at, created_by) VALUES (" + TRACE_EMAIL + ", 'error', 'system', 'Extraction failed',"
                + " jsonb_build_object('error_type', 'extraction_failed', 'stack_trace', ?::text, 'attempt', 2),"
                + " '2025-12-15 13:00:00', 'system')", STACK_TRACE);
        hub = new TestHub(db, new Class<?>[] {SlowAnswers.class});
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("component-chromium-profile"), "--window-size=900,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        browser.executeCdpCommand("Network.enable", Map.of());
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
    }

    @AfterAll
    void stop() {
        SlowAnswers.delayedEmail.set(0);
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aLateAnswerForThePreviousEmailDoesNotReplaceTheCurrentOne() throws Exception {
        signInAs("reader");
        int answeredBefore = SlowAnswers.delayedAnswers.get();
        SlowAnswers.delayedEmail.set(123);
        try {
            // 123's answer takes 800 ms; the reader moves on to 124 while it is on its way.
            browser.executeScript("const t = document.createElement('mailtrail-timeline');"
                    + " t.id = 'timeline'; t.setAttribute('refresh', '0'); t.setAttribute('email-id', '123');"
                    + " document.getElementById('frame').append(t);"
                    + " setTimeout(() => t.setAttribute('email-id', '124'), 100);");
            wait.until(d -> descriptions().equals(List.of("Invoice extraction failed: the PDF is damaged")));
            wait.until(d -> SlowAnswers.delayedAnswers.get() > answeredBefore);
            Thread.sleep(500); // time for a late answer to be drawn, were it drawn
            assertThat(descriptions()).containsExactly("Invoice extraction failed: the PDF is damaged");
            assertThat(timeline().getAttribute("email-id")).isEqualTo("124");
        } finally {
            SlowAnswers.delayedEmail.set(0);
        }
    }

    @Test
    void aStackTraceReadsAsLinesAndAWrappedFrameKeepsItsAt() throws Exception {
        signInAs("detail");
        showTimeline(TRACE_EMAIL, "");
        wait.until(d -> descriptions().equals(List.of("Extraction failed")));
        click(root().findElement(By.cssSelector(".meta-toggle")));
        wait.until(d -> root().findElement(By.cssSelector(".metadata")).isDisplayed());

        // One format: a key/value list in the metadata's order, strings as text, numbers as JSON.
        @SuppressWarnings("unchecked")
        Map<String, Object> api = (Map<String, Object>) hub.list(hub.get("detail", "/api/v1/emails/" + TRACE_EMAIL
                + "/activity")).get(0).get("metadata");
        assertThat(texts(".metadata dt")).containsExactlyElementsOf(api.keySet())
                .containsExactlyInAnyOrder("error_type", "stack_trace", "attempt");
        assertThat(root().findElement(By.cssSelector(".metadata dd[data-key=error_type]")).getText())
                .isEqualTo("extraction_failed");
        assertThat(root().findElement(By.cssSelector(".metadata dd[data-key=attempt]")).getText()).isEqualTo("2");
        String shown = root().findElement(By.cssSelector(".metadata")).getText();
        assertThat(shown).doesNotContain("|").doesNotContain("\\n").doesNotContain("\\t").doesNotContain("{");

        // The frames as the trace's lines; where a long frame wraps, "at" stays with it.
        List<String> visual = visualLines(".metadata dd[data-key=stack_trace]");
        assertThat(visual.size()).as("the long frames wrap in a 420 px column: %s", visual).isGreaterThan(4);
        assertThat(visual).as("lines as drawn").noneMatch(line -> line.strip().equals("at"))
                .first().asString().startsWith("java.lang.IllegalStateException:");
        assertThat(visual.stream().filter(line -> line.strip().startsWith("at com.example.")).count()).isEqualTo(3);
        screenshot("component-stack-trace.png");
    }

    @Test
    void loadOlderEventsStandsApartFromTheDownloads() throws Exception {
        signInAs("reader");
        showTimeline(123, "page-size='2'");
        wait.until(d -> descriptions().size() == 2 && root().findElement(By.cssSelector(".more")).isDisplayed());
        WebElement downloads = root().findElement(By.cssSelector("p.toolbar"));
        assertThat(downloads.isDisplayed()).isTrue();
        Number gap = (Number) browser.executeScript("const r = arguments[0];"
                + " return r.querySelector('p.toolbar').getBoundingClientRect().top"
                + " - r.querySelector('.more').getBoundingClientRect().bottom;", timeline().getShadowRoot());
        assertThat(gap.doubleValue()).as("space between 'Load older events' and the downloads, px").isGreaterThanOrEqualTo(8);
        screenshot("component-more-and-downloads.png");
    }

    @Test
    void aDeniedAnEmptyOrAnUnavailableTimelineSaysSoInASentenceAndOffersNoDownload() throws Exception {
        signInAs("reader");
        for (int email : new int[] {TestHub.DENIED_EMAIL, 999}) {
            showTimeline(email, "");
            wait.until(d -> root().findElement(By.cssSelector(".error")).isDisplayed());
            assertThat(root().findElement(By.cssSelector(".error")).getText())
                    .isEqualTo("no email with id " + email + " in the activity log");
            assertNoDownloads();
        }
        // The endpoints are off (or base-path is wrong): a 404 that is not the API's.
        showTimeline(123, "base-path='/nowhere'");
        wait.until(d -> root().findElement(By.cssSelector(".error")).isDisplayed());
        assertThat(root().findElement(By.cssSelector(".error")).getText())
                .startsWith("The activity log is not available here: nothing answers at /nowhere.")
                .doesNotContain("HTTP 404");
        assertNoDownloads();
        screenshot("component-unavailable.png");
    }

    @Test
    void recentActivityShowsTheStatisticsOnlyToAReaderThePolicyLimitsInNothing() throws Exception {
        signInAs("reader");
        showRecent();
        wait.until(d -> recentRoot().findElement(By.cssSelector(".stats-note")).isDisplayed());
        assertThat(recentRoot().findElement(By.cssSelector(".stats-note")).getText())
                .isEqualTo("Statistics are not shown: " + ActivityController.STATS_LIMITED + ".");
        assertThat(recentRoot().findElement(By.cssSelector(".stats")).isDisplayed()).isFalse();
        assertThat(recentRoot().findElement(By.cssSelector(".error")).isDisplayed()).isFalse();
        wait.until(d -> !recentRoot().findElements(By.cssSelector(".event")).isEmpty());

        signInAs("auditor");
        showRecent();
        wait.until(d -> !recentRoot().findElements(By.cssSelector(".stats-body tr")).isEmpty());
        assertThat(recentRoot().findElement(By.cssSelector(".stats-note")).isDisplayed()).isFalse();
    }

    /** Every request of the browser carries HTTP Basic for {@code user} (password {@code pw}). */
    private void signInAs(String user) {
        String basic = Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + basic)));
        browser.get(hub.url("/component-test.html"));
        wait.until(d -> Boolean.TRUE.equals(browser.executeScript(
                "return !!customElements.get('mailtrail-timeline')")));
    }

    private void showTimeline(int email, String attributes) {
        browser.executeScript("document.getElementById('frame').innerHTML = \"<mailtrail-timeline id='timeline'"
                + " refresh='0' email-id='" + email + "' " + attributes + "></mailtrail-timeline>\"");
    }

    private void showRecent() {
        browser.executeScript("document.getElementById('frame').style.width = '860px';"
                + " document.getElementById('frame').innerHTML ="
                + " \"<mailtrail-recent-activity id='recent' refresh='0'></mailtrail-recent-activity>\"");
    }

    private void assertNoDownloads() {
        List<WebElement> links = root().findElements(By.cssSelector("a[download]"));
        assertThat(links).noneMatch(WebElement::isDisplayed);
    }

    private WebElement timeline() {
        return browser.findElement(By.id("timeline"));
    }

    private SearchContext root() {
        return timeline().getShadowRoot();
    }

    private SearchContext recentRoot() {
        return browser.findElement(By.id("recent")).getShadowRoot();
    }

    @SuppressWarnings("unchecked")
    private List<String> descriptions() {
        return (List<String>) browser.executeScript("const t = document.getElementById('timeline');"
                + " return t ? [...t.shadowRoot.querySelectorAll('.event .description')].map(e => e.textContent) : [];");
    }

    private List<String> texts(String selector) {
        return root().findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    /** The text of an element as the browser lays it out: one string per line on screen. */
    @SuppressWarnings("unchecked")
    private List<String> visualLines(String selector) {
        return (List<String>) browser.executeScript("""
                const root = arguments[0].querySelector(arguments[1]);
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                const lines = []; let top = null;
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  for (let i = 0; i < node.length; i++) {
                    if (node.data[i] === '\\n') { top = null; continue; }
                    const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                    const rect = range.getClientRects()[0];
                    if (!rect) continue;
                    if (top === null || Math.abs(rect.top - top) > 2) { lines.push(''); top = rect.top; }
                    lines[lines.length - 1] += node.data[i];
                  }
                  top = null;
                }
                return lines;""", timeline().getShadowRoot(), selector);
    }

    private void click(WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Holds the answers for one email back by 800 ms, as a slow database or network would. */
    @Configuration(proxyBeanMethods = false)
    static class SlowAnswers {

        static final AtomicInteger delayedEmail = new AtomicInteger();
        static final AtomicInteger delayedAnswers = new AtomicInteger();

        @Bean
        FilterRegistrationBean<Filter> slowAnswerFilter() {
            Filter filter = (request, response, chain) -> {
                int email = delayedEmail.get();
                String path = ((HttpServletRequest) request).getRequestURI();
                if (email == 0 || !path.equals("/api/v1/emails/" + email + "/activity")) {
                    chain.doFilter(request, response);
                    return;
                }
                try {
                    Thread.sleep(800);
                    chain.doFilter(request, response);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    delayedAnswers.incrementAndGet();
                }
            };
            return new FilterRegistrationBean<>(filter);
        }
    }
}
