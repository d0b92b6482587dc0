package io.agentnet.test.dashboard;

import io.agentnet.bench.JarProcess;
import io.agentnet.bench.browser.HeadlessChromium;
import io.agentnet.bridge.testkit.FileTrees;
import io.agentnet.bridge.testkit.NatsServerProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless chromium), served by the all-in-one jar
 * joined to a real nats-server, with a specialist started and killed as its own process during the
 * test. Every test ends with no console errors; each main view is saved as a screenshot in
 * target/e2e/dashboard/ (with the processes' logs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

  private static final String TOKEN = "browser-test-token";
  /**
   * Every process beats every 3 s: an agent is offline after 3 missed beats (9 s). Long enough that "appears within
   * one interval" has room for NATS, the 250 ms batch and the browser on a busy 2-core machine.
   */
  private static final Duration INTERVAL = Duration.ofSeconds(3);
  /** After 3 silent intervals: up to one sweep of the dashboard's directory, a batch and a render. */
  private static final Duration OFFLINE_SLACK = Duration.ofSeconds(3);
  private static final Duration START = Duration.ofSeconds(90);

  private final Path dir = Path.of("target", "e2e", "dashboard");
  private final List<JarProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private NatsServerProcess nats;
  private HeadlessChromium browser;
  private String base;

  @BeforeAll
  void startNetworkAndBrowser() throws Exception {
    assertThat(HeadlessChromium.available())
        .as("chromium and chromedriver are needed at %s and %s: run .ci/run, or apt-get install chromium chromium-driver",
            HeadlessChromium.binary(), HeadlessChromium.driverBinary())
        .isTrue();
    FileTrees.deleteQuietly(dir);
    Files.createDirectories(dir.resolve("workspace"));
    nats = NatsServerProcess.start();
    Map<String, String> env = env("all-in-one");
    env.put("DASHBOARD_PORT", "0"); // the port it bound is read from its log
    env.put("DASHBOARD_HOST", "127.0.0.1");
    env.put("DASHBOARD_TOKEN", TOKEN);
    env.put("WORKSPACE_DIR", dir.resolve("workspace").toAbsolutePath().toString());
    env.put("MCP_FILESYSTEM_PORT", "0");
    env.put("MCP_PROXMOX_PORT", "0");
    env.put("MCP_CLOUD_PORT", "0");
    JarProcess all = start("all-in-one", JarProcess.ALL, env);
    base = "http://127.0.0.1:" + all.dashboardPort(START);
    browser = HeadlessChromium.start(1400, 900);
  }

  private Map<String, String> env(String agentId) {
    Map<String, String> env = new HashMap<>();
    env.put("NATS_URL", nats.url());
    env.put("AGENT_ID", agentId);
    env.put("AGENT_HEARTBEAT_INTERVAL", Long.toString(INTERVAL.toSeconds()));
    env.put("METRICS_INTERVAL", "1");
    env.put("PROXMOX_SIMULATOR_TASK_MS", "200");
    return env;
  }

  private JarProcess start(String name, Path jar, Map<String, String> env, String... args) throws Exception {
    JarProcess p = JarProcess.start(name, jar, dir, env, args);
    processes.add(p);
    return p;
  }

  @AfterAll
  void stopAll() throws Exception {
    if (browser != null) {
      browser.close();
    }
    for (JarProcess p : processes) {
      p.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @BeforeEach
  void freshPage() {
    browser.clearConsole(); // what earlier tests logged is theirs
  }

  @AfterEach
  void noConsoleErrors(TestInfo test) {
    assertThat(browser.consoleErrors()).as("console errors during %s", test.getDisplayName()).isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private void open(String route) {
    browser.driver().get(base + "/" + route);
    waitFor(Duration.ofSeconds(20), "the event bus to connect",
        () -> !browser.driver().findElements(By.cssSelector("#connection[data-state=connected]")).isEmpty());
  }

  private void go(String route) {
    browser.script("location.hash = arguments[0]", route);
  }

  private void waitFor(Duration deadline, String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser.driver(), deadline, Duration.ofMillis(50))
        .withMessage(() -> "waited " + deadline.toSeconds() + " s for " + what)
        .until(d -> condition.getAsBoolean());
  }

  private WebElement await(String css, Duration deadline) {
    waitFor(deadline, css, () -> !browser.driver().findElements(By.cssSelector(css)).isEmpty());
    return browser.driver().findElement(By.cssSelector(css));
  }

  /** The element once its request has settled: a click marks it "pending" at once, then "ok" or "error". */
  private static String settled(String css) {
    return css + "[data-state=ok], " + css + "[data-state=error]";
  }

  /** The definitions load after the route is shown: wait for the option, not only the select. */
  private void selectWorkflowType(String type) {
    await("#wf-type option[value=" + type + "]", Duration.ofSeconds(10));
    new Select(browser.driver().findElement(By.id("wf-type"))).selectByValue(type);
  }

  private void screenshot(String name) throws Exception {
    browser.screenshot(dir.resolve(name + ".png"));
  }

  private void setToken(String token) {
    WebElement input = await("#token-input", Duration.ofSeconds(5));
    input.clear();
    input.sendKeys(token);
    browser.driver().findElement(By.id("token-save")).click();
  }

  private JsonObject get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  void thePageLoadsAndListsTheAgents() throws Exception {
    open("#/agents");
    // 3 specialists, the orchestrator and the monitor, and the 3 MCP servers
    waitFor(Duration.ofSeconds(20), "8 agents online", () -> browser.driver()
        .findElements(By.cssSelector("#agents-table tr[data-agent-id][data-online=true]")).size() >= 8);
    WebElement orchestrator = await("#agents-table tr[data-agent-id^=orchestrator]", Duration.ofSeconds(5));
    assertThat(orchestrator.findElement(By.cssSelector(".agent-type")).getText()).contains("orchestrator");
    assertThat(orchestrator.findElement(By.cssSelector(".agent-capabilities")).getText()).contains("orchestration");
    screenshot("agents");
  }

  @Test
  void anAgentStartedDuringTheTestAppearsWithinOneIntervalAndShowsOfflineWhenStopped() throws Exception {
    open("#/agents");
    String id = "late-" + UUID.randomUUID().toString().substring(0, 8);
    JarProcess late = start(id, JarProcess.AGENTS, env(id), "specialist");
    late.awaitLog("is running", START);
    String row = "#agents-table tr[data-agent-id='" + id + "']";
    await(row + "[data-online=true]", INTERVAL); // the deadline is the bound: shown within one interval
    assertThat(browser.driver().findElement(By.cssSelector(row + " .agent-type")).getText()).contains("general");

    late.kill(); // SIGKILL: no goodbye heartbeat, only silence
    await(row + "[data-online=false]", INTERVAL.multipliedBy(3).plus(OFFLINE_SLACK)); // offline within 3 intervals
    assertThat(browser.driver().findElement(By.cssSelector(row + " .agent-status")).getText()).containsIgnoringCase("offline");
    screenshot("agents-offline");
  }

  @Test
  void aWorkflowSubmittedFromTheUiShowsItsStepsCompleting() throws Exception {
    open("#/workflows");
    setToken(TOKEN);
    selectWorkflowType("health_check");
    await("[name='param-memory_threshold_pct']", Duration.ofSeconds(5));
    browser.driver().findElement(By.id("wf-submit")).click();
    WebElement result = await(settled("#wf-submit-result"), Duration.ofSeconds(10));
    assertThat(result.getAttribute("data-state")).as(result.getText()).isEqualTo("ok");
    java.util.regex.Matcher uuid = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .matcher(result.getText());
    assertThat(uuid.find()).as("the workflow id in: " + result.getText()).isTrue();
    String id = uuid.group();
    assertThat(get("/api/workflows/" + id).getString("workflow_type")).isEqualTo("health_check");
    await("#workflows-table tr[data-workflow-id='" + id + "']", Duration.ofSeconds(5));
    screenshot("workflows");

    go("#/workflows/" + id);
    await("#workflow-detail[data-workflow-id='" + id + "'][data-status=completed]", Duration.ofSeconds(60));
    List<WebElement> steps = browser.driver().findElements(By.cssSelector("#workflow-detail [data-step-id]"));
    assertThat(steps).extracting(s -> s.getAttribute("data-step-id")).contains("diagnose", "remediate", "verify");
    waitFor(Duration.ofSeconds(5), "every step succeeded", () -> browser.driver()
        .findElements(By.cssSelector("#workflow-detail [data-step-id]")).stream()
        .allMatch(s -> "succeeded".equals(s.getAttribute("data-status"))));
    JsonObject record = get("/api/workflows/" + id);
    String agent = record.getJsonObject("steps").getJsonObject("diagnose").getString("agent_id");
    assertThat(browser.driver().findElement(By.cssSelector("#workflow-detail [data-step-id=diagnose]")).getText())
        .contains(agent);
    screenshot("workflow-detail");
  }

  @Test
  void aToolCalledFromTheUiShowsItsResultOrItsError() throws Exception {
    open("#/tools");
    setToken(TOKEN);
    await("#tools-list [data-tool='proxmox/list_nodes']", Duration.ofSeconds(20)).click();
    WebElement args = await("#tool-args", Duration.ofSeconds(5));
    args.clear();
    args.sendKeys("{}");
    browser.driver().findElement(By.id("tool-call")).click();
    WebElement result = await(settled("#tool-result"), Duration.ofSeconds(20));
    assertThat(result.getAttribute("data-state")).as(result.getText()).isEqualTo("ok");
    assertThat(result.getText()).contains("pve1");
    screenshot("tools");

    await("#tools-list [data-tool='proxmox/get_vm_status']", Duration.ofSeconds(5)).click();
    args = await("#tool-args", Duration.ofSeconds(5));
    args.clear();
    args.sendKeys("{\"vmid\": \"not-a-number\"}");
    browser.driver().findElement(By.id("tool-call")).click();
    waitFor(Duration.ofSeconds(20), "the error", () -> browser.driver()
        .findElements(By.cssSelector("#tool-result[data-state=error]")).size() == 1);
    assertThat(browser.driver().findElement(By.id("tool-result")).getText()).contains("vmid");
  }

  @Test
  void aRequestWithoutTheTokenIsRefusedAndNothingHappens() throws Exception {
    open("#/workflows");
    int before = get("/api/workflows").getInteger("total");
    browser.script("sessionStorage.clear()");
    setToken("");
    selectWorkflowType("health_check");
    browser.driver().findElement(By.id("wf-submit")).click();
    WebElement result = await(settled("#wf-submit-result"), Duration.ofSeconds(10));
    assertThat(result.getAttribute("data-state")).isEqualTo("error");
    assertThat(result.getText()).containsIgnoringCase("token");

    // the same from the page's own scripts: REST without the header, and a send over the event bus
    Object status = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "fetch('/api/workflows', {method: 'POST', body: JSON.stringify({workflow_type: 'health_check'})})"
        + ".then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(401L);
    Object refused = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
        // a refused send is answered with an error frame that has no address: it reaches onerror
        + "const eb = new EventBus('/eventbus');"
        + "eb.onerror = err => { eb.close(); done(JSON.stringify(err)); };"
        + "eb.onopen = () => eb.send('ai.orchestrator.submit', {workflow_type: 'health_check'}, {},"
        + "  (err, reply) => { eb.close(); done(err ? JSON.stringify(err) : 'delivered: ' + JSON.stringify(reply)); });"
        + "setTimeout(() => done('no answer'), 10000);");
    assertThat(String.valueOf(refused)).contains("access_denied");
    assertThat(get("/api/workflows").getInteger("total")).as("no workflow was submitted").isEqualTo(before);
    // the browser reports each refused call as a failed load: those two, and nothing else
    assertThat(browser.consoleErrors()).hasSize(2).allMatch(e -> e.contains("/api/workflows") && e.contains("401"));
    browser.clearConsole();
  }

  @Test
  void metricsChartAndAlertsFeedAndTopologyAreLive() throws Exception {
    open("#/metrics");
    waitFor(Duration.ofSeconds(20), "node metrics charted", () -> Boolean.TRUE.equals(browser.script(
        "const ch = Chart.getChart(document.getElementById('metrics-nodes'));"
        + "return !!ch && ch.data.datasets.some(d => d.data.length > 1);")));
    // a running VM stops: the monitor raises vm_stopped, which the feed shows
    HttpResponse<String> stop = post("/api/tools/proxmox/stop_vm", new JsonObject().put("vmid", 100).put("confirm", true));
    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
    assertThat(new JsonObject(stop.body()).getJsonObject("result").getBoolean("isError", false)).as(stop.body()).isFalse();
    await("#alerts-feed .alert", Duration.ofSeconds(20));
    screenshot("metrics");

    go("#/topology");
    await("#topology svg [data-node-id='mcp:proxmox']", Duration.ofSeconds(20));
    assertThat(browser.driver().findElements(By.cssSelector("#topology svg [data-node-id^='agent:']"))).isNotEmpty();
    assertThat(browser.driver().findElements(By.cssSelector("#topology svg [data-edge]"))).isNotEmpty();
    screenshot("topology");
  }
}
