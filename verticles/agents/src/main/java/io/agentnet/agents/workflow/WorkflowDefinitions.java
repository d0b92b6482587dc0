package io.agentnet.agents.workflow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The workflow types this process knows, read once at start from {@code <workflow_type>.json}
 * files: the directory named by {@code WORKFLOWS_DIR}, else {@code ./conf/workflows} when it
 * exists, else the copies packaged in the jar under {@code workflows/} (listed by
 * {@code workflows/index.txt}, since a jar's directories cannot be listed portably). Every
 * definition is checked when loaded; one bad file refuses the whole set, with every problem of
 * every file in the message. Plain Java: blocking file reads, so call it before the event loop
 * runs or from {@code executeBlocking}.
 */
public final class WorkflowDefinitions {

  public static final String ENV_DIR = "WORKFLOWS_DIR";
  public static final Path LOCAL_DIR = Path.of("conf", "workflows");
  public static final String CLASSPATH_DIR = "workflows";
  public static final String CLASSPATH_INDEX = CLASSPATH_DIR + "/index.txt";

  private final Map<String, WorkflowDefinition> byType;
  private final String source;

  private WorkflowDefinitions(Map<String, WorkflowDefinition> byType, String source) {
    this.byType = Map.copyOf(byType);
    this.source = source;
  }

  /** Definitions given directly (tests, or definitions that came from elsewhere). */
  public static WorkflowDefinitions of(Collection<WorkflowDefinition> definitions, String source) {
    Map<String, WorkflowDefinition> byType = new TreeMap<>();
    for (WorkflowDefinition definition : definitions) {
      if (byType.put(definition.workflowType(), definition) != null) {
        throw new WorkflowValidationException(source + ": two definitions of workflow type " + definition.workflowType());
      }
    }
    return new WorkflowDefinitions(byType, source);
  }

  /**
   * Every {@code *.json} in {@code dir}.
   *
   * @param knownActions the skills specialists offer (every step's action must be one)
   * @throws WorkflowValidationException listing every problem of every file, each line naming the file (and step)
   */
  public static WorkflowDefinitions load(Path dir, Set<String> knownActions) {
    if (!Files.isDirectory(dir)) {
      throw new WorkflowValidationException("workflow definitions directory " + dir + " does not exist (set "
          + ENV_DIR + " to the directory that holds the <workflow_type>.json files)");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new WorkflowValidationException("cannot list workflow definitions in " + dir + ": " + e.getMessage());
    }
    Map<String, String> texts = new TreeMap<>();
    for (Path file : files) {
      try {
        texts.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new WorkflowValidationException(file.getFileName() + ": cannot be read: " + e.getMessage());
      }
    }
    return parseAll(texts, knownActions, dir.toString());
  }

  /** From {@code WORKFLOWS_DIR}, else {@code ./conf/workflows}, else the packaged copies. */
  public static WorkflowDefinitions loadDefault(Set<String> knownActions) {
    return loadDefault(Environment.system(), knownActions);
  }

  public static WorkflowDefinitions loadDefault(Environment env, Set<String> knownActions) {
    String explicit = env.get(ENV_DIR);
    if (explicit != null && !explicit.isBlank()) {
      return load(Path.of(explicit), knownActions);
    }
    if (Files.isDirectory(LOCAL_DIR)) {
      return load(LOCAL_DIR, knownActions);
    }
    return loadClasspath(knownActions);
  }

  /** The copies packaged in the jar: {@code workflows/<name>.json} for every name in {@code workflows/index.txt}. */
  public static WorkflowDefinitions loadClasspath(Set<String> knownActions) {
    ClassLoader loader = WorkflowDefinitions.class.getClassLoader();
    String index = resource(loader, CLASSPATH_INDEX);
    if (index == null) {
      throw new WorkflowValidationException("no workflow definitions: " + ENV_DIR + " is not set, " + LOCAL_DIR
          + " does not exist and the jar has no " + CLASSPATH_INDEX);
    }
    Map<String, String> texts = new TreeMap<>();
    for (String line : index.lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String text = resource(loader, CLASSPATH_DIR + "/" + line);
      if (text == null) {
        throw new WorkflowValidationException(CLASSPATH_INDEX + " lists " + line + " but the jar has no "
            + CLASSPATH_DIR + "/" + line);
      }
      texts.put(line, text);
    }
    return parseAll(texts, knownActions, "classpath:" + CLASSPATH_DIR);
  }

  private static String resource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WorkflowValidationException("cannot read " + name + " from the jar: " + e.getMessage());
    }
  }

  private static WorkflowDefinitions parseAll(Map<String, String> texts, Set<String> knownActions, String source) {
    if (texts.isEmpty()) {
      throw new WorkflowValidationException("no workflow definitions (<workflow_type>.json files) in " + source);
    }
    List<String> problems = new ArrayList<>();
    List<WorkflowDefinition> definitions = new ArrayList<>();
    for (Map.Entry<String, String> file : texts.entrySet()) {
      try {
        definitions.add(parse(file.getKey(), file.getValue(), knownActions));
      } catch (WorkflowValidationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw WorkflowValidationException.of(problems, "\n");
    }
    return of(definitions, source);
  }

  /**
   * One definition file's text.
   *
   * @param fileName the file's name, {@code <workflow_type>.json}: messages name it, and workflow_type must match it
   * @throws WorkflowValidationException listing every problem, each line starting with the file name
   */
  public static WorkflowDefinition parse(String fileName, String text, Set<String> knownActions) {
    String expectedType = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new WorkflowValidationException(fileName + ": not valid JSON: the file is empty");
    }
    if (!trimmed.startsWith("{")) {
      throw new WorkflowValidationException(fileName + ": not valid JSON: expected an object {...} at the top");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new WorkflowValidationException(fileName + ": not valid JSON" + jsonError(e));
    }
    return DefinitionParser.parse(fileName, expectedType, json, knownActions);
  }

  /** " at line L, column C: reason" from Jackson's error, without its source excerpt. */
  private static String jsonError(DecodeException e) {
    if (e.getCause() instanceof JsonProcessingException jackson) {
      JsonLocation at = jackson.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return where + ": " + jackson.getOriginalMessage();
    }
    return ": " + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse(""));
  }

  /** Where the definitions came from, for the start-up log. */
  public String source() {
    return source;
  }

  /** The known workflow types, sorted. */
  public Set<String> types() {
    return new java.util.TreeSet<>(byType.keySet());
  }

  /** All definitions, sorted by workflow type. */
  public List<WorkflowDefinition> all() {
    return types().stream().map(byType::get).toList();
  }

  public Optional<WorkflowDefinition> find(String workflowType) {
    return Optional.ofNullable(workflowType == null ? null : byType.get(workflowType));
  }

  /** @throws WorkflowValidationException naming the unknown type and listing the known ones */
  public WorkflowDefinition require(String workflowType) {
    return find(workflowType).orElseThrow(() -> new WorkflowValidationException("unknown workflow_type '"
        + workflowType + "' (known: " + String.join(", ", types()) + ")"));
  }

  /** {@code {"workflows": [definition, ...]}} sorted by type, for the dashboard's submit form. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    all().forEach(d -> list.add(d.toJson()));
    return new JsonObject().put("workflows", list);
  }
}
