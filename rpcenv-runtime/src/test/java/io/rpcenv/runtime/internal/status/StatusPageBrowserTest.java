package io.rpcenv.runtime.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.runtime.Driver;
import io.rpcenv.runtime.LocalExecutors;
import io.rpcenv.runtime.fixtures.RuntimeTestPlugin;
import io.rpcenv.testkit.Resources;
import io.rpcenv.testkit.SystemTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The status page in a real browser: Debian's Chromium, headless, driven by Selenium through
 * Debian's chromedriver. Authentication is on, so the page works only through the printed URL's
 * token and the cookie it sets.
 */
class StatusPageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final Resources resources = new Resources();

  private ChromeDriver browser() {
    Path chromium = SystemTool.require("chromium", "chromium");
    Path chromedriver = SystemTool.require("chromedriver", "chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests may run as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1300");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    resources.add(browser::quit);
    return browser;
  }

  @Test
  void thePageListsBothExecutorsChartsLiveTrafficAndShowsAKilledExecutorAsRemoved()
      throws Exception {
    Driver driver =
        resources.add(
            Driver.start(
                StatusPageTest.conf()
                    .set("spark.authenticate", "true")
                    .set("spark.network.timeout", "20s")));
    LocalExecutors local = driver.startLocalExecutors(2);
    assertThat(driver.awaitExecutors(2, WAIT)).isTrue();
    AtomicBoolean traffic = new AtomicBoolean(true);
    Thread asker =
        new Thread(
            () -> {
              for (int i = 0; traffic.get(); i++) {
                try {
                  RuntimeTestPlugin.driver.askExecutor("2", i);
                } catch (Exception e) {
                  return;
                }
              }
            },
            "browser-test-traffic");
    asker.start();
    resources.add(
        () -> {
          traffic.set(false);
          asker.join(30_000);
        });

    ChromeDriver browser = browser();
    browser.get(driver.statusPageUrl().orElseThrow());
    until(() -> browser.findElement(By.id("status")).getText().equals("live"));
    assertThat(browser.getTitle()).isEqualTo("status-test · rpcenv driver");
    until(() -> rows(browser, "active").size() == 2);
    assertThat(browser.findElement(By.id("app-id")).getText()).isEqualTo(driver.appId());

    // The rates chart is redrawn in place with each second's sample while traffic flows.
    until(
        () ->
            Integer.parseInt(browser.findElement(By.id("chart-rates")).getAttribute("data-samples"))
                >= 3);
    String before = line(browser);
    until(() -> !line(browser).equals(before) && lastRate(browser) > 0);
    until(() -> !browser.findElements(By.cssSelector("#endpoints tbody tr")).isEmpty());

    local.processes().get(0).destroyForcibly().waitFor(); // executor 1: SIGKILL
    // The table is rebuilt every second: each check reads one version of it.
    until(
        () -> {
          List<WebElement> removed = rows(browser, "removed");
          return removed.size() == 1
              && removed.get(0).getAttribute("data-executor").equals("1")
              && removed.get(0).getAttribute("class").equals("removed")
              && removed
                  .get(0)
                  .findElement(By.cssSelector("td.reason"))
                  .getText()
                  .startsWith("lost")
              && rows(browser, "active").size() == 1;
        });

    Path shot = Path.of("target", "status-page.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);

    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    assertThat(errors).as("the browser's console").isEmpty();
  }

  /** Waits for {@code condition}, reading again when the page replaced what it was reading. */
  private static void until(java.util.concurrent.Callable<Boolean> condition) {
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(condition);
  }

  private static List<WebElement> rows(ChromeDriver browser, String state) {
    return browser.findElements(By.cssSelector("#executors tbody tr[data-state='" + state + "']"));
  }

  private static String line(ChromeDriver browser) {
    return browser.findElement(By.cssSelector("#chart-rates polyline.s0")).getAttribute("points");
  }

  private static double lastRate(ChromeDriver browser) {
    String last = browser.findElement(By.id("chart-rates")).getAttribute("data-last");
    return Double.parseDouble(last.split(",")[0]);
  }
}
