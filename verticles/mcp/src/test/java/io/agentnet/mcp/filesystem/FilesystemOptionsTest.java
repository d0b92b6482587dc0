package io.agentnet.mcp.filesystem;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesystemOptionsTest {

  private static final Environment NO_ENV = new Environment(Map.of());

  @Test
  void defaults() {
    FilesystemOptions options = FilesystemOptions.fromConfig(null, NO_ENV);
    assertThat(options.roots()).containsExactly(Path.of("./workspace"));
    assertThat(options.readOnly()).isFalse();
    assertThat(options.maxReadBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(options.maxWriteBytes()).isEqualTo(10L * 1024 * 1024);
  }

  @Test
  void workspaceDirIsTheRootWhenConfigNamesNone() {
    assertThat(FilesystemOptions.fromConfig(new JsonObject(), new Environment(Map.of("WORKSPACE_DIR", "/data/ws")))
        .roots()).containsExactly(Path.of("/data/ws"));
    JsonObject config = new JsonObject().put("roots", new JsonArray().add("/a").add("/b"));
    assertThat(FilesystemOptions.fromConfig(config, new Environment(Map.of("WORKSPACE_DIR", "/data/ws")))
        .roots()).containsExactly(Path.of("/a"), Path.of("/b"));
  }

  @Test
  void configAndEnvironmentWithTheEnvironmentWinning() {
    JsonObject config = new JsonObject().put("readOnly", true).put("maxReadBytes", 1000).put("maxWriteBytes", 2000);
    FilesystemOptions fromConfig = FilesystemOptions.fromConfig(config, NO_ENV);
    assertThat(fromConfig.readOnly()).isTrue();
    assertThat(fromConfig.maxReadBytes()).isEqualTo(1000);
    assertThat(fromConfig.maxWriteBytes()).isEqualTo(2000);

    FilesystemOptions overridden = FilesystemOptions.fromConfig(config, new Environment(Map.of(
        "MCP_FS_READ_ONLY", "false", "MCP_FS_MAX_READ_BYTES", "5", "MCP_FS_MAX_WRITE_BYTES", "6")));
    assertThat(overridden.readOnly()).isFalse();
    assertThat(overridden.maxReadBytes()).isEqualTo(5);
    assertThat(overridden.maxWriteBytes()).isEqualTo(6);
  }

  @Test
  void badValuesAreErrorsNamingTheKeyOrVariable() {
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(new JsonObject().put("roots", "/a"), NO_ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("filesystem.roots");
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(new JsonObject().put("roots", new JsonArray().add(3)), NO_ENV))
        .hasMessageContaining("filesystem.roots");
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(new JsonObject().put("maxReadBytes", 0), NO_ENV))
        .hasMessageContaining("filesystem.maxReadBytes");
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(new JsonObject().put("readOnly", "yes"), NO_ENV))
        .hasMessageContaining("filesystem.readOnly");
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(null, new Environment(Map.of("MCP_FS_READ_ONLY", "maybe"))))
        .hasMessageContaining("MCP_FS_READ_ONLY");
    assertThatThrownBy(() -> FilesystemOptions.fromConfig(null, new Environment(Map.of("MCP_FS_MAX_WRITE_BYTES", "-1"))))
        .hasMessageContaining("MCP_FS_MAX_WRITE_BYTES");
  }

  @Test
  void commandLineRootsReplaceTheConfiguredOnesAndKeepTheRest() {
    FilesystemOptions configured = FilesystemOptions.fromConfig(new JsonObject().put("maxReadBytes", 42), NO_ENV);
    FilesystemOptions launched = configured.withRoots(List.of(Path.of("/x"), Path.of("/y")));
    assertThat(launched.roots()).containsExactly(Path.of("/x"), Path.of("/y"));
    assertThat(launched.maxReadBytes()).isEqualTo(42);
    assertThat(FilesystemOptions.ofRoots(List.of("/p")).roots()).containsExactly(Path.of("/p"));
  }
}
