package io.agentnet.mcp.cloud;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudOptionsTest {

  private static Environment env(String... pairs) {
    java.util.HashMap<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return new Environment(map);
  }

  @Test
  void defaultsNeedNothingInstalled() {
    CloudOptions options = CloudOptions.fromConfig(new JsonObject(), env());
    assertThat(options.storageProvider()).isEqualTo(CloudOptions.StorageProvider.LOCAL);
    assertThat(options.dataDir()).isEqualTo(Path.of("./data/objects"));
    assertThat(options.limits().maxObjectBytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(options.kubernetes().mode()).isEqualTo(CloudOptions.KubernetesMode.AUTO);
    assertThat(options.kubernetes().readyTimeoutSeconds()).isEqualTo(300);
    assertThat(options.s3().hasStaticCredentials()).isFalse();
    assertThat(options.s3().region()).isEqualTo("us-east-1");
  }

  @Test
  void anS3EndpointSelectsS3WithPathStyle() {
    CloudOptions options = CloudOptions.fromConfig(new JsonObject(), env(
        "CLOUD_S3_ENDPOINT", "http://minio:9000",
        "CLOUD_S3_ACCESS_KEY_ID", "minio",
        "CLOUD_S3_SECRET_ACCESS_KEY", "minio-secret"));
    assertThat(options.storageProvider()).isEqualTo(CloudOptions.StorageProvider.S3);
    assertThat(options.s3().endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(options.s3().pathStyle()).isTrue();
    assertThat(options.s3().accessKeyId()).isEqualTo("minio");
    assertThat(options.toString()).doesNotContain("minio-secret");
  }

  @Test
  void anExplicitProviderWins() {
    CloudOptions options = CloudOptions.fromConfig(new JsonObject()
            .put("objectStorage", new JsonObject().put("provider", "s3"))
            .put("s3", new JsonObject().put("endpoint", "http://s3.local:9000")),
        env("CLOUD_OBJECT_STORAGE", "local", "CLOUD_DATA_DIR", "/srv/objects"));
    assertThat(options.storageProvider()).isEqualTo(CloudOptions.StorageProvider.LOCAL);
    assertThat(options.dataDir()).isEqualTo(Path.of("/srv/objects"));

    CloudOptions aws = CloudOptions.fromConfig(new JsonObject().put("objectStorage",
        new JsonObject().put("provider", "s3")).put("s3", new JsonObject().put("region", "eu-west-1")), env());
    assertThat(aws.storageProvider()).isEqualTo(CloudOptions.StorageProvider.S3);
    assertThat(aws.s3().endpoint()).isNull();
    assertThat(aws.s3().pathStyle()).isFalse();
    assertThat(aws.s3().region()).isEqualTo("eu-west-1");
  }

  @Test
  void awsVariablesAndSecretFilesAreRead(@TempDir Path temp) throws IOException {
    Path secretFile = temp.resolve("s3-secret");
    Files.writeString(secretFile, "from-a-file\n");
    CloudOptions options = CloudOptions.fromConfig(new JsonObject(), env(
        "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY_FILE", secretFile.toString(),
        "AWS_SESSION_TOKEN", "session"));
    // AWS_* alone gives credentials but does not switch providers.
    assertThat(options.storageProvider()).isEqualTo(CloudOptions.StorageProvider.LOCAL);
    assertThat(options.s3().accessKeyId()).isEqualTo("AKIAEXAMPLE");
    assertThat(options.s3().secretAccessKey()).isEqualTo("from-a-file");
    assertThat(options.s3().sessionToken()).isEqualTo("session");
  }

  @Test
  void configAndEnvironmentSetLimitsAndKubernetes() {
    CloudOptions options = CloudOptions.fromConfig(new JsonObject()
            .put("limits", new JsonObject().put("maxObjectBytes", 1000).put("maxLogBytes", 2000).put("maxOperations", 5))
            .put("kubernetes", new JsonObject().put("enabled", false).put("namespace", "team-a")
                .put("readyTimeoutSeconds", 60)),
        env("CLOUD_MAX_OBJECT_BYTES", "4096", "CLOUD_KUBE_CONTEXT", "prod"));
    assertThat(options.limits()).isEqualTo(new CloudOptions.Limits(4096, 2000, 5));
    assertThat(options.kubernetes().mode()).isEqualTo(CloudOptions.KubernetesMode.OFF);
    assertThat(options.kubernetes().namespace()).isEqualTo("team-a");
    assertThat(options.kubernetes().context()).isEqualTo("prod");
    assertThat(options.kubernetes().readyTimeoutSeconds()).isEqualTo(60);
    assertThat(CloudOptions.fromConfig(new JsonObject(), env("CLOUD_KUBERNETES", "true")).kubernetes().mode())
        .isEqualTo(CloudOptions.KubernetesMode.ON);
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject(), env("CLOUD_OBJECT_STORAGE", "gcs")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected local or s3, got \"gcs\"");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject(), env("CLOUD_S3_ENDPOINT", "minio:9000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLOUD_S3_ENDPOINT");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject(), env("CLOUD_S3_ACCESS_KEY_ID", "only-id")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("go together");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject(), env("CLOUD_MAX_OBJECT_BYTES", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLOUD_MAX_OBJECT_BYTES");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject(), env("CLOUD_KUBERNETES", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected auto, true or false");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject().put("s3", "x"), env()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cloud.s3");
    assertThatThrownBy(() -> CloudOptions.fromConfig(new JsonObject().put("s3",
        new JsonObject().put("maxPresignSeconds", 700000)), env()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxPresignSeconds");
  }
}
