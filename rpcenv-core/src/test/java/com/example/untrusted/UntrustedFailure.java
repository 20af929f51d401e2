package com.example.untrusted;

/** An exception class that is not on the asker's allow-list. */
public final class UntrustedFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntrustedFailure(String message) {
    super(message);
  }
}
