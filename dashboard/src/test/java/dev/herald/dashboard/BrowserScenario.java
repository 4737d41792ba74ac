package dev.herald.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.SendOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser scenario both mounts pass, in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}): the backlog and a dead letter appear, a new dead letter shows up without a
 * reload, a requeued one is delivered, another is purged, a payload holding a script is shown as
 * text and never runs, a bulk requeue is confirmed with its count, and a search by dedupe key shows
 * the dead letter and the backlog task of one send. Screenshots land in {@code
 * target/dashboard-screenshots/}.
 */
public final class BrowserScenario {

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  private BrowserScenario() {}

  /** Headless Chromium, or the test is skipped (with the reason) when it is not installed. */
  public static WebDriver chromium() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "browser tests skipped: /usr/bin/chromium and /usr/bin/chromedriver are missing"
            + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  /** Runs the scenario against a dashboard at {@code url} over {@code shop}. */
  public static void run(WebDriver browser, String url, Shop shop, String name) {
    long first = shop.sendDead("first"); // also a backlog task of the declared "archive"
    long script = shop.sendDead("<script>window.pwned = 1</script>");
    long toPurge = shop.sendDead("purge me");

    browser.get(url);
    await(() -> !browser.findElements(By.id("dead-" + script)).isEmpty());
    WebElement archive = row(browser, "archive");
    assertThat(Long.parseLong(archive.findElement(By.className("ready")).getText())).isEqualTo(3);
    assertThat(row(browser, "mailer").findElement(By.cssSelector("td.dead")).getText())
        .isEqualTo("3");
    assertThat(browser.findElements(By.id("dead-" + first))).hasSize(1);
    // The payload is text on the page, and its script never ran.
    assertThat(
            browser
                .findElement(By.id("dead-" + script))
                .findElement(By.className("payload"))
                .getText())
        .contains("<script>window.pwned = 1</script>");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
    screenshot(browser, name + "-1-backlog-and-dead-letters");

    // Live: a dead letter sent after the page loaded appears without a reload.
    long late = shop.sendDead("arrived later");
    await(() -> !browser.findElements(By.id("dead-" + late)).isEmpty());

    // Requeue: the receiver works again and delivers it.
    shop.failing.set(false);
    browser.findElement(By.id("dead-" + script)).findElement(By.className("requeue")).click();
    await(() -> text(browser, By.id("flash")).equals("Requeued 1 dead letter."));
    await(() -> browser.findElements(By.id("dead-" + script)).isEmpty());
    await(
        () ->
            Long.parseLong(text(row(browser, "mailer"), By.cssSelector("td.throughput .delivered")))
                >= 1);
    screenshot(browser, name + "-2-requeued-and-delivered");

    // Purge one.
    browser.findElement(By.id("dead-" + toPurge)).findElement(By.className("purge")).click();
    await(() -> text(browser, By.id("flash")).equals("Purged 1 dead letter."));
    assertThat(browser.findElements(By.id("dead-" + toPurge))).isEmpty();

    // Bulk requeue through the confirmation page, which states the count.
    browser.findElement(By.id("requeue-all")).click();
    await(() -> !browser.findElements(By.id("confirm-count")).isEmpty());
    assertThat(text(browser, By.id("confirm-count"))).contains("requeue 2 dead letters");
    screenshot(browser, name + "-3-confirm-bulk-requeue");
    browser.findElement(By.id("confirm")).click();
    await(() -> text(browser, By.id("flash")).equals("Requeued 2 dead letters."));
    await(() -> !browser.findElements(By.cssSelector("#dead-list .empty")).isEmpty());
    screenshot(browser, name + "-4-no-dead-letters");

    // Search by dedupe key: what happened to the send with key order-7? Its mailer task is dead,
    // the archive's waits in the backlog; the payload shows as text.
    shop.failing.set(true);
    long keyed = shop.sendDead("<b>order 7</b>", SendOptions.dedupeKey("order-7"));
    WebElement search = browser.findElement(By.id("task-search"));
    search.findElement(By.name("task")).sendKeys("order-7");
    search.findElement(By.tagName("button")).click();
    await(() -> !browser.findElements(By.id("task-" + keyed)).isEmpty());
    List<WebElement> found = browser.findElements(By.cssSelector("#task-results tr.task"));
    assertThat(found)
        .extracting(
            r -> r.findElement(By.className("receiver")).getText(),
            r -> r.findElement(By.className("state")).getText(),
            r -> r.findElement(By.className("dedupe-key")).getText())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("mailer", "dead", "order-7"),
            org.assertj.core.groups.Tuple.tuple("archive", "ready", "order-7"));
    WebElement dead = browser.findElement(By.id("task-" + keyed));
    assertThat(dead.findElement(By.className("payload")).getText()).contains("<b>order 7</b>");
    assertThat(dead.findElement(By.className("error")).getText())
        .endsWith("mail server said <b>no</b>");
    assertThat(browser.findElement(By.name("task")).getAttribute("value")).isEqualTo("order-7");
    screenshot(browser, name + "-5-search-by-dedupe-key");
  }

  private static WebElement row(WebDriver browser, String receiver) {
    List<WebElement> rows =
        browser.findElements(By.cssSelector("tr.receiver[data-receiver='" + receiver + "']"));
    assertThat(rows).as("row of receiver %s", receiver).hasSize(1);
    return rows.get(0);
  }

  // Elements are swapped by the live refresh: a stale element reads as "not yet".
  private static String text(org.openqa.selenium.SearchContext in, By by) {
    try {
      List<WebElement> found = in.findElements(by);
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return "";
    }
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoreExceptionsInstanceOf(NumberFormatException.class)
        .until(condition);
  }

  /** Saves a PNG under {@code target/dashboard-screenshots/}. */
  public static void screenshot(WebDriver browser, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
