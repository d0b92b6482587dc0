package io.agentnet.bench.browser;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Debian's chromium, headless, driven by its own chromedriver through Selenium: no browser or
 * driver download (Selenium Manager is never asked, both paths are given). Console messages are
 * collected so tests can insist on none at SEVERE level; CDP gives the browser's CPU and memory.
 * Paths: CHROMIUM_BINARY / CHROMEDRIVER, by default /usr/bin/chromium and /usr/bin/chromedriver.
 */
public final class HeadlessChromium implements AutoCloseable {

  /** Selenium warns on every start that it has no CDP classes for this Chromium; raw CDP commands need none. */
  private static final java.util.logging.Logger CDP_VERSION_LOG = java.util.logging.Logger.getLogger(
      "org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_LOG.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;
  private final List<LogEntry> console = new ArrayList<>();

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  public static String binary() {
    return System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");
  }

  public static String driverBinary() {
    return System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
  }

  /** Whether this machine has both (the CI script installs them; a developer may not have). */
  public static boolean available() {
    return new File(binary()).canExecute() && new File(driverBinary()).canExecute();
  }

  public static HeadlessChromium start(int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-extensions", "--no-first-run", "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(driverBinary())).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Every console message so far (the driver hands each out once; they are kept here). */
  public synchronized List<LogEntry> console() {
    driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
    return List.copyOf(console);
  }

  /** Forgets the console messages so far: what comes next is the next test's. */
  public synchronized void clearConsole() {
    console();
    console.clear();
  }

  /** Console errors (SEVERE) since the last {@link #clearConsole}: uncaught exceptions, console.error, failed loads. */
  public List<String> consoleErrors() {
    return console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
  }

  public Path screenshot(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(file, png);
    return file;
  }

  /**
   * The page's performance counters from the DevTools protocol (Performance.getMetrics):
   * TaskDuration and ScriptDuration (seconds of main-thread work), JSHeapUsedSize (bytes), and more.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Double> performanceMetrics() {
    driver.executeCdpCommand("Performance.enable", Map.of());
    Map<String, Object> answer = driver.executeCdpCommand("Performance.getMetrics", Map.of());
    Map<String, Double> out = new java.util.TreeMap<>();
    for (Object m : (List<Object>) answer.get("metrics")) {
      Map<String, Object> metric = (Map<String, Object>) m;
      out.put(String.valueOf(metric.get("name")), ((Number) metric.get("value")).doubleValue());
    }
    return out;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
