package io.agentnet.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The adapter's side of the wire, against a stand-in for the bridge: requests sent, failures mapped. */
@ExtendWith(VertxExtension.class)
class BusKeyValueStoreTest {

  private static final String ADDRESS = "test.kv";
  private Vertx vertx;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  private BusKeyValueStore serving(Consumer<Message<JsonObject>> bridge) throws Exception {
    vertx.eventBus().<JsonObject>consumer(ADDRESS, msg -> {
      requests.add(msg.body());
      bridge.accept(msg);
    }).completion().await(5, TimeUnit.SECONDS);
    return new BusKeyValueStore(vertx, "b", ADDRESS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(5, TimeUnit.SECONDS);
  }

  private static StoreException failure(Future<?> f) {
    StoreException e = catchThrowableOfType(StoreException.class, () -> await(f));
    assertThat(e).as("expected a StoreException").isNotNull();
    return e;
  }

  @Test
  void eachOperationIsOneRequestInTheBridgesShape() throws Exception {
    BusKeyValueStore store = serving(msg -> msg.reply(switch (msg.body().getString("op")) {
      case "get" -> new JsonObject().put("key", "k").put("value", new JsonObject().put("a", 1)).put("revision", 3);
      case "keys" -> new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add("k"));
      case "entries" -> new JsonObject().put("entries", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("key", "k").put("value", new JsonObject()).put("revision", 3)));
      case "delete" -> new JsonObject();
      default -> new JsonObject().put("revision", 4);
    }));
    assertThat(await(store.get("k"))).isEqualTo(new KvEntry("k", new JsonObject().put("a", 1), 3));
    assertThat(await(store.update("k", new JsonObject().put("a", 2), 3))).isEqualTo(4);
    assertThat(await(store.create("k2", new JsonObject()))).isEqualTo(4);
    await(store.delete("k"));
    assertThat(await(store.keys())).containsExactly("k");
    assertThat(await(store.entries())).containsExactly(new KvEntry("k", new JsonObject(), 3));
    assertThat(requests).containsExactly(
        new JsonObject("{\"op\":\"get\",\"bucket\":\"b\",\"key\":\"k\"}"),
        new JsonObject("{\"op\":\"update\",\"bucket\":\"b\",\"key\":\"k\",\"value\":{\"a\":2},\"revision\":3}"),
        new JsonObject("{\"op\":\"create\",\"bucket\":\"b\",\"key\":\"k2\",\"value\":{}}"),
        new JsonObject("{\"op\":\"delete\",\"bucket\":\"b\",\"key\":\"k\"}"),
        new JsonObject("{\"op\":\"keys\",\"bucket\":\"b\"}"),
        new JsonObject("{\"op\":\"entries\",\"bucket\":\"b\"}"));
  }

  @Test
  void anEmptyGetReplyIsAbsent() throws Exception {
    BusKeyValueStore store = serving(msg -> msg.reply(new JsonObject()));
    assertThat(await(store.get("k"))).isNull();
  }

  @Test
  void theBridgesFailureCodesBecomeReasons() throws Exception {
    int[] code = new int[1];
    BusKeyValueStore store = serving(msg -> msg.fail(code[0], "reason " + code[0]));
    Object[][] cases = {{409, StoreException.Reason.CONFLICT}, {400, StoreException.Reason.INVALID},
        {413, StoreException.Reason.INVALID}, {404, StoreException.Reason.UNAVAILABLE},
        {502, StoreException.Reason.UNAVAILABLE}, {503, StoreException.Reason.UNAVAILABLE}};
    for (Object[] c : cases) {
      code[0] = (int) c[0];
      StoreException e = failure(store.put("k", new JsonObject()));
      assertThat(e.reason()).as("code " + c[0]).isEqualTo(c[1]);
      assertThat(e.getMessage()).contains("reason " + c[0]);
    }
  }

  @Test
  void withoutABridgeEveryOperationIsUnavailableSayingWhy() {
    StoreException e = failure(new BusKeyValueStore(vertx, "b", ADDRESS).get("k"));
    assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("kv get b/k: nothing serves test.kv (is the NATS bridge deployed in this process?)");
  }

  @Test
  void badInputIsRefusedWithoutARoundTrip() throws Exception {
    BusKeyValueStore store = serving(msg -> msg.reply(new JsonObject().put("revision", 1)));
    assertThat(failure(store.put("a b", new JsonObject())).reason()).isEqualTo(StoreException.Reason.INVALID);
    assertThat(failure(store.put("k", null)).getMessage()).isEqualTo("b: put of key k needs a value (a JSON object)");
    assertThat(failure(store.update("k", new JsonObject(), -1)).reason()).isEqualTo(StoreException.Reason.INVALID);
    assertThat(requests).isEmpty();
  }
}
