package io.rpcenv.internal.dispatch;

import io.rpcenv.RpcEndpoint;
import io.rpcenv.internal.metrics.EndpointMetrics;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one endpoint's code for its {@link Inbox}: a message (deserialized here, timed when asked,
 * its failure reported to the asker and to {@code onError}) or a lifecycle callback. What runs is
 * shown to the stall watch through the calling {@link RpcThread}.
 */
final class EndpointCalls {
  /** The inbox's logger, as before this code moved here: log settings keep applying. */
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  private final RpcEndpoint endpoint;
  private final EndpointMetrics metrics;
  private final Supplier<String> describe;

  EndpointCalls(RpcEndpoint endpoint, EndpointMetrics metrics, Supplier<String> describe) {
    this.endpoint = endpoint;
    this.metrics = metrics;
    this.describe = describe;
  }

  /**
   * Handles one message. {@code thread} is the caller when it is one of ours: it shows the stall
   * watch what endpoint code runs.
   */
  void process(InboxMessage m, RpcThread thread, boolean timed) {
    if (thread == null) {
      handle(m, timed);
      return;
    }
    thread.beginMessage();
    try {
      handle(m, timed);
    } finally {
      thread.endMessage();
    }
  }

  private void handle(InboxMessage m, boolean timed) {
    Object content;
    try {
      content = m.content();
    } catch (Throwable t) {
      metrics.undeliverable();
      m.undeliverable(t, describe.get());
      m.afterProcessing();
      return;
    }
    long start = timed ? System.nanoTime() : 0;
    try {
      m.invoke(endpoint, content);
    } catch (Throwable t) {
      m.endpointFailed(t);
      if (t instanceof VirtualMachineError) {
        LOG.error(
            "Endpoint {} hit {} handling {}; the dispatcher carries on",
            describe.get(),
            t,
            m.describe(),
            t);
      } else {
        onError(t, m.describe());
      }
    } finally {
      if (timed && !(m instanceof NetworkEvent)) { // the histogram is of messages
        metrics.handled(System.nanoTime() - start);
      }
      m.afterProcessing();
    }
  }

  /** Runs a lifecycle callback; returns false if it threw (the error goes to onError). */
  boolean call(RpcThread thread, String what, Runnable callback) {
    if (thread != null) {
      thread.beginLifecycle(what);
    }
    try {
      callback.run();
      return true;
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError) {
        LOG.error("Endpoint {} hit {} in {}", describe.get(), t, what, t);
      } else {
        onError(t, what);
      }
      return false;
    } finally {
      if (thread != null) {
        thread.endLifecycle();
      }
    }
  }

  private void onError(Throwable error, String during) {
    try {
      endpoint.onError(error);
    } catch (Throwable thrown) {
      if (thrown == error) {
        LOG.error("Ignoring error in endpoint {} while handling {}", describe.get(), during, error);
      } else {
        thrown.addSuppressed(error);
        LOG.error(
            "Ignoring error thrown by onError of endpoint {} while handling {}",
            describe.get(),
            during,
            thrown);
      }
    }
  }
}
