package io.agentnet.bridge.config;

/** A config value is missing or wrong; the message names the key path and the problem. */
public class ConfigException extends IllegalArgumentException {

  public ConfigException(String message) {
    super(message);
  }
}
