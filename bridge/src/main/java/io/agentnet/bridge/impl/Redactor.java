package io.agentnet.bridge.impl;

import io.agentnet.bridge.config.BridgeOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scrubs secrets out of text that came from elsewhere (jnats exceptions, server errors) before it is
 * logged or put on the bus: the configured password and token, and credentials inside URLs.
 */
final class Redactor {

  private static final Pattern URL_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");
  private final List<String> secrets = new ArrayList<>();

  Redactor(BridgeOptions options) {
    for (String s : new String[] {options.getPassword(), options.getToken()}) {
      if (s != null && !s.isEmpty()) {
        secrets.add(s);
      }
    }
  }

  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = URL_USERINFO.matcher(text).replaceAll("$1");
    for (String secret : secrets) {
      out = out.replace(secret, BridgeOptions.REDACTED);
    }
    return out;
  }
}
