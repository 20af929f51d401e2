package io.rpcenv.plugin;

import java.io.Serializable;
import java.util.List;

/**
 * A resource given to a process, such as its GPUs, from {@code
 * spark.driver.resource.<name>.addresses} or {@code spark.executor.resource.<name>.addresses}
 * (comma-separated).
 *
 * @param name the resource name, e.g. {@code gpu}
 * @param addresses the addresses of the units given, e.g. {@code ["0", "1"]}
 */
public record ResourceInformation(String name, List<String> addresses) implements Serializable {
  /** Copies the address list. */
  public ResourceInformation {
    addresses = List.copyOf(addresses);
  }
}
