package io.rpcenv.internal.transport;

/**
 * CREDIT to send: {@code count} more messages to {@code window}'s endpoint, weighing {@code
 * weight}, were handled.
 */
record CreditGrant(InboundWindow window, int count, long weight) implements QueuedWrite {
  @Override
  public int bytes() {
    return 0;
  }
}
