package io.agentnet.mcp.cloud.kubernetes;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** API server answers the CRUD mock does not give (RBAC, validation, no server), translated. */
class KubernetesErrorsTest {

  private static KubernetesClientException status(int code, String message) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
  }

  @Test
  void statusCodesBecomeAdvice() {
    assertThat(KubernetesWorkloads.translate("list pods in prod", status(403,
        "pods is forbidden: User \"agent\" cannot list resource \"pods\" in the namespace \"prod\"")).getMessage())
        .isEqualTo("cannot list pods in prod: forbidden for this account (pods is forbidden: User \"agent\" cannot "
            + "list resource \"pods\" in the namespace \"prod\")");
    assertThat(KubernetesWorkloads.translate("create deployment a/b", status(422,
        "Deployment.apps \"b\" is invalid: metadata.labels: Invalid value")).getMessage())
        .startsWith("cannot create deployment a/b: rejected as invalid (Deployment.apps \"b\" is invalid");
    assertThat(KubernetesWorkloads.translate("list namespaces", status(401, "Unauthorized")).getMessage())
        .contains("rejected the credentials (401)");
  }

  @Test
  void noServerNamesTheCause() {
    KubernetesClientException e = new KubernetesClientException("An error has occurred.",
        new ConnectException("Connection refused"));
    assertThat(KubernetesWorkloads.translate("list namespaces", e).getMessage())
        .isEqualTo("cannot list namespaces: the API server cannot be reached (ConnectException)");
  }
}
