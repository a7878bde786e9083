package io.mailtrail.sample.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * sign in, open an email, see its timeline (mailtrail-web's component) newest first with the
 * seed's colours, expand metadata, download an attachment and see {@code attachment_downloaded}
 * appear with the signed-in user, load the next pages, download the CSV and compare it with the
 * API, filter recent activity. Fails, never skips, when Chromium is missing. Leaves screenshots
 * in {@code target/} ({@code timeline.png} is the component alone).
 */
@MailtrailDatabase(migrate = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final TestDatabase db;
    private RunningHub hub;
    private ChromeDriver browser;
    private Path downloads;
    private final JsonMapper json = JsonMapper.builder().build();

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
        downloads = Files.createDirectories(Path.of("target", "downloads")).toAbsolutePath();
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
    void signInOpenAnEmailReadItsLogPageExpandDownloadAndExport() throws Exception {
        // The component re-renders as events arrive: look elements up afresh each time.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);

        // Not signed in: the page sends us to the sign-in form.
        browser.get(hub.url("/"));
        wait.until(d -> d.getCurrentUrl().endsWith("/login"));
        browser.findElement(By.name("username")).sendKeys("alice");
        browser.findElement(By.name("password")).sendKeys("alice-demo");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector(".email-item")).size() == RunningHub.SEEDED);
        wait.until(d -> d.findElement(By.id("signed-in")).getText().equals("Alice Andersen"));

        WebElement invoice = browser.findElements(By.cssSelector(".email-item")).stream()
                .filter(e -> e.getText().contains("Invoice INV-2025-001 from Acme Corp")).findFirst().orElseThrow();
        invoice.click();
        wait.until(d -> d.findElement(By.id("detail-subject")).getText().equals("Invoice INV-2025-001 from Acme Corp"));
        int emailId = Integer.parseInt(browser.findElement(By.id("timeline")).getAttribute("email-id"));

        // The Log tab is selected; opening the email itself logged "read" by Alice.
        assertThat(browser.findElement(By.id("tab-log")).getAttribute("aria-selected")).isEqualTo("true");
        wait.until(d -> eventTypes().contains("read"));
        assertThat(eventTypes()).containsExactly("read", "status_changed", "workflow_executed", "notification_sent",
                "linked", "invoice_extracted", "workflow_executed", "rule_matched", "classified", "fetched");
        assertThat(events().get(0).findElement(By.cssSelector(".who")).getText()).isEqualTo("Alice Andersen");

        // Icons coloured by category as the seed lists them.
        assertThat(iconColor("fetched")).isEqualTo("rgb(11, 99, 206)");
        assertThat(iconColor("read")).isEqualTo("rgb(22, 128, 60)");
        assertThat(iconColor("workflow_executed")).isEqualTo("rgb(14, 143, 168)");
        assertThat(iconColor("rule_matched")).isEqualTo("rgb(181, 129, 0)");
        assertThat(iconColor("linked")).isEqualTo("rgb(95, 107, 118)");

        // Metadata expands to a key/value list on click (and by keyboard: it is a button).
        assertThat(event("fetched").findElement(By.cssSelector(".metadata")).isDisplayed()).isFalse();
        click(event("fetched").findElement(By.cssSelector(".meta-toggle")));
        wait.until(d -> event("fetched").findElement(By.cssSelector(".metadata")).isDisplayed());
        assertThat(event("fetched").findElement(By.cssSelector(".metadata dd[data-key=source]")).getText())
                .isEqualTo("imap");
        assertThat(event("fetched").findElement(By.cssSelector(".metadata dd[data-key=message_id]")).getText())
                .isEqualTo("<seed-01@mailtrail.local>");
        assertThat(event("fetched").findElement(By.cssSelector(".meta-toggle")).getAttribute("aria-expanded"))
                .isEqualTo("true");
        event("read").findElement(By.cssSelector(".meta-toggle")).sendKeys(Keys.ENTER);
        wait.until(d -> event("read").findElement(By.cssSelector(".metadata")).isDisplayed());

        // Download the PDF: the attachment_downloaded event appears at the top, by Alice.
        browser.findElement(By.cssSelector(".attachment-link")).click();
        wait.until(d -> !eventTypes().isEmpty() && eventTypes().get(0).equals("attachment_downloaded"));
        assertThat(events().get(0).findElement(By.cssSelector(".who")).getText()).isEqualTo("Alice Andersen");
        assertThat(events().get(0).findElement(By.cssSelector(".description")).getText())
                .isEqualTo("Attachment 'invoice-INV-2025-001.pdf' downloaded by Alice Andersen");
        assertThat(db.count("SELECT count(*) FROM email_activity_log a JOIN users u ON u.id = a.user_id"
                + " WHERE a.event_type = 'attachment_downloaded' AND u.username = 'alice'")).isEqualTo(1);

        browser.executeScript("document.querySelector('.sidebar').scrollTop = 0");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "hub-email-detail.png"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(browser.findElement(By.id("timeline")).getScreenshotAs(OutputType.FILE).toPath(),
                Path.of("target", "timeline.png"), StandardCopyOption.REPLACE_EXISTING);

        // Pages of four: the next page is loaded on request until there is none.
        browser.executeScript("document.getElementById('timeline').setAttribute('page-size', '4')");
        wait.withMessage(() -> "timeline shows " + eventTypes() + "; " + browser.executeScript(
                "const t = document.getElementById('timeline'); return t.outerHTML.slice(0, 200) + ' | '"
                + " + t.shadowRoot.innerHTML.slice(0, 600)"));
        wait.until(d -> eventTypes().size() == 4);
        int[] expected = {8, 11};
        for (int size : expected) {
            click(timelineRoot().findElement(By.cssSelector(".more")));
            wait.until(d -> eventTypes().size() == size);
        }
        assertThat(timelineRoot().findElement(By.cssSelector(".more")).isDisplayed()).isFalse();
        assertThat(eventTypes()).first().isEqualTo("attachment_downloaded");
        assertThat(eventTypes()).last().isEqualTo("fetched");

        // The CSV download holds what the API answers, row for row.
        Path csv = downloads.resolve("email-" + emailId + "-activity.csv");
        Files.deleteIfExists(csv);
        click(timelineRoot().findElement(By.cssSelector(".export-csv")));
        wait.until(d -> Files.exists(csv) && csvComplete(csv));
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("\uFEFFid,email_id,event_type,event_category,description,metadata,user_id,"
                + "user_name,created_at,created_by,trace_id,span_id");
        List<Map<String, Object>> api = json.readValue(hub.get("/api/v1/emails/" + emailId + "/activity?limit=500")
                .body(), List.class);
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.substring(0, line.indexOf(',')))
                .containsExactlyElementsOf(api.stream().map(e -> e.get("id").toString()).toList());
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.split(",")[2])
                .containsExactlyElementsOf(api.stream().map(e -> "\"" + e.get("event_type") + "\"").toList());

        // The recent-activity view filters by event type and shows the statistics; a stack trace
        // in an error's metadata reads as lines.
        browser.findElement(By.id("nav-activity")).click();
        wait.until(d -> !recentRoot().findElements(By.cssSelector(".stats-body tr")).isEmpty());
        assertThat(browser.findElement(By.id("emails-view")).isDisplayed()).isFalse();
        wait.until(d -> !recentRoot().findElements(By.cssSelector("select[name=event_type] option[value=error]")).isEmpty());
        new Select(recentRoot().findElement(By.cssSelector("select[name=event_type]"))).selectByValue("error");
        wait.until(d -> {
            List<WebElement> shown = recentRoot().findElements(By.cssSelector(".event"));
            return shown.size() == 2 && shown.stream().allMatch(e -> "error".equals(e.getAttribute("data-event-type")));
        });
        WebElement malformed = recentRoot().findElements(By.cssSelector(".event")).stream()
                .filter(e -> !e.findElements(By.cssSelector(".metadata dd[data-key=stack_trace]")).isEmpty())
                .findFirst().orElseThrow();
        click(malformed.findElement(By.cssSelector(".meta-toggle")));
        String trace = malformed.findElement(By.cssSelector(".metadata dd[data-key=stack_trace]")).getText();
        assertThat(trace).doesNotContain("\\n\\tat").doesNotContain("\\tat ").doesNotContain("|");
        assertThat(trace.lines().filter(l -> l.strip().startsWith("at ")).count()).isGreaterThan(1);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "hub-recent-activity.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // Archive selected: one call for the ticked emails, one status_changed row per email (forEach),
        // by the signed-in user, each with the status it had before.
        browser.findElement(By.id("nav-emails")).click();
        List<Integer> chosen = db.query("SELECT id FROM email_messages WHERE id <> ? ORDER BY id LIMIT 2",
                r -> r.getInt(1), emailId);
        for (int id : chosen) {
            wait.until(d -> {
                WebElement box = d.findElement(By.cssSelector(".select-email[data-id='" + id + "']"));
                if (!box.isSelected()) {
                    click(box);
                }
                return box.isSelected();
            });
        }
        click(browser.findElement(By.id("archive-selected")));
        wait.until(d -> d.findElement(By.id("batch-status")).getText().equals("Archived 2 emails."));
        hub.flush();
        assertThat(db.query("SELECT email_id FROM email_activity_log WHERE event_type = 'status_changed'"
                + " AND event_category = 'user' AND created_by = 'alice' AND metadata->>'new_status' = 'archived'"
                + " ORDER BY id", r -> r.getInt(1))).containsExactlyElementsOf(chosen);
    }

    /** Scrolls the element to the middle of the window first: the sidebar scrolls on its own. */
    private void click(WebElement element) {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private static boolean csvComplete(Path csv) {
        try {
            String text = Files.readString(csv, StandardCharsets.UTF_8);
            return text.endsWith("\r\n") && text.contains("\"fetched\"");
        } catch (Exception e) {
            return false;
        }
    }

    private SearchContext timelineRoot() {
        return browser.findElement(By.id("timeline")).getShadowRoot();
    }

    private SearchContext recentRoot() {
        return browser.findElement(By.id("recent")).getShadowRoot();
    }

    private List<WebElement> events() {
        return timelineRoot().findElements(By.cssSelector(".event"));
    }

    @SuppressWarnings("unchecked")
    private List<String> eventTypes() {
        // One script call: a snapshot that a re-render can not make stale half-way.
        return (List<String>) browser.executeScript("return [...document.getElementById('timeline').shadowRoot"
                + ".querySelectorAll('.event')].map(e => e.dataset.eventType)");
    }

    private WebElement event(String type) {
        return timelineRoot().findElement(By.cssSelector(".event[data-event-type='" + type + "']"));
    }

    private String iconColor(String type) {
        return event(type).findElement(By.cssSelector(".icon")).getCssValue("background-color").replace("rgba", "rgb")
                .replace(", 1)", ")");
    }
}
