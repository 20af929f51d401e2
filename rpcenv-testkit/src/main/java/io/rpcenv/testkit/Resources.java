package io.rpcenv.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes, in reverse order, everything a test registered with {@link #add}: envs, child JVMs,
 * sockets. Use as an instance field:
 *
 * <pre>{@code
 * @RegisterExtension final Resources resources = new Resources();
 * RpcEnv env = resources.add(RpcEnv.create(...));
 * }</pre>
 *
 * A close that throws fails the test after everything else has been closed.
 */
public final class Resources implements AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  /** Registers {@code resource} to be closed after the test; returns it. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    open.push(resource);
    return resource;
  }

  /** Closes everything registered so far, newest first. */
  public void closeAll() throws Exception {
    List<Exception> failures = new ArrayList<>();
    for (; ; ) {
      AutoCloseable next;
      synchronized (this) {
        next = open.poll();
      }
      if (next == null) {
        break;
      }
      try {
        next.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    closeAll();
  }
}
