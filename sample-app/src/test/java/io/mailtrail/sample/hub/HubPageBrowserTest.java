package io.mailtrail.sample.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * open an email, see its timeline newest first with color-coded icons, expand metadata, download
 * an attachment and see {@code attachment_downloaded} appear with the acting user. Fails, never
 * skips, when Chromium is missing. Leaves a screenshot in {@code target/hub-email-detail.png}.
 */
@MailtrailDatabase(migrate = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final TestDatabase db;
    private RunningHub hub;
    private ChromeDriver browser;

    HubPageBrowserTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ". Install them with: apt-get install -y chromium chromium-driver");
        }
        hub = new RunningHub(db);
        Path profile = Files.createTempDirectory("hub-chromium-profile");
        Path downloads = Files.createDirectories(Path.of("target", "downloads")).toAbsolutePath();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1440,900");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1440, 900));
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
    void openAnEmailReadItsLogExpandMetadataAndDownloadAnAttachment() throws Exception {
        // The page re-renders the timeline as events arrive: look elements up afresh each time.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(hub.url("/"));
        wait.until(d -> d.findElements(By.cssSelector(".email-item")).size() == RunningHub.SEEDED);
        assertThat(browser.findElement(By.id("user-select")).getAttribute("value")).isEqualTo("alice");

        WebElement invoice = browser.findElements(By.cssSelector(".email-item")).stream()
                .filter(e -> e.getText().contains("Invoice INV-2025-001 from Acme Corp")).findFirst().orElseThrow();
        invoice.click();
        wait.until(d -> d.findElement(By.id("detail-subject")).getText().equals("Invoice INV-2025-001 from Acme Corp"));

        // The Log tab is selected; opening the email itself logged "read" by Alice.
        assertThat(browser.findElement(By.id("tab-log")).getAttribute("aria-selected")).isEqualTo("true");
        wait.until(d -> eventTypes().contains("read"));
        assertThat(eventTypes()).containsExactly("read", "status_changed", "workflow_executed", "notification_sent",
                "linked", "invoice_extracted", "workflow_executed", "rule_matched", "classified", "fetched");
        assertThat(events().get(0).findElement(By.cssSelector(".who")).getText()).isEqualTo("Alice Andersen");

        // Color-coded icons by category.
        assertThat(iconColor("fetched")).isEqualTo("rgb(11, 99, 206)");
        assertThat(iconColor("read")).isEqualTo("rgb(22, 128, 60)");
        assertThat(iconColor("workflow_executed")).isEqualTo("rgb(14, 143, 168)");
        assertThat(iconColor("rule_matched")).isEqualTo("rgb(181, 129, 0)");
        assertThat(iconColor("linked")).isEqualTo("rgb(95, 107, 118)");

        // Metadata expands to formatted JSON on click.
        assertThat(event("fetched").findElement(By.cssSelector(".meta-json")).isDisplayed()).isFalse();
        event("fetched").findElement(By.cssSelector(".meta-toggle")).click();
        wait.until(d -> event("fetched").findElement(By.cssSelector(".meta-json")).isDisplayed());
        assertThat(event("fetched").findElement(By.cssSelector(".meta-json")).getText())
                .contains("\"source\": \"imap\"").contains("\"message_id\": \"<seed-01@mailtrail.local>\"");
        assertThat(event("fetched").findElement(By.cssSelector(".meta-toggle")).getAttribute("aria-expanded"))
                .isEqualTo("true");

        // Download the PDF: the attachment_downloaded event appears at the top, by Alice.
        browser.findElement(By.cssSelector(".attachment-link")).click();
        wait.until(d -> !eventTypes().isEmpty() && eventTypes().get(0).equals("attachment_downloaded"));
        assertThat(events().get(0).findElement(By.cssSelector(".who")).getText()).isEqualTo("Alice Andersen");
        assertThat(events().get(0).findElement(By.cssSelector(".description")).getText())
                .isEqualTo("Attachment 'invoice-INV-2025-001.pdf' downloaded by Alice Andersen");
        assertThat(db.count("SELECT count(*) FROM email_activity_log a JOIN users u ON u.id = a.user_id"
                + " WHERE a.event_type = 'attachment_downloaded' AND u.username = 'alice'")).isEqualTo(1);

        browser.executeScript("document.querySelector('.sidebar').scrollTop = 0");
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "hub-email-detail.png"), StandardCopyOption.REPLACE_EXISTING);

        // The recent-activity view filters by event type and shows the statistics.
        browser.findElement(By.id("nav-activity")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#stats-body tr")).isEmpty());
        assertThat(browser.findElement(By.id("emails-view")).isDisplayed()).isFalse();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-type"))).selectByValue("error");
        wait.until(d -> d.findElements(By.cssSelector("#recent-list .event")).size() == 2
                && d.findElements(By.cssSelector("#recent-list .event")).stream()
                        .allMatch(e -> "error".equals(e.getAttribute("data-event-type"))));
        File activityShot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(activityShot.toPath(), Path.of("target", "hub-recent-activity.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private List<WebElement> events() {
        return browser.findElements(By.cssSelector("#panel-log .event"));
    }

    @SuppressWarnings("unchecked")
    private List<String> eventTypes() {
        // One script call: a snapshot that a re-render can not make stale half-way.
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#panel-log .event')].map(e => e.dataset.eventType)");
    }

    private WebElement event(String type) {
        return browser.findElement(By.cssSelector("#panel-log .event[data-event-type='" + type + "']"));
    }

    private String iconColor(String type) {
        return event(type).findElement(By.cssSelector(".icon")).getCssValue("background-color").replace("rgba", "rgb")
                .replace(", 1)", ")");
    }
}
