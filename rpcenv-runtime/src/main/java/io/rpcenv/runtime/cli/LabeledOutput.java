package io.rpcenv.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Puts a label such as {@code [driver pid 42]} in front of every line a process prints, logs
 * included. Each labelled line leaves in one write, so the lines of processes sharing a terminal or
 * pipe (a driver and its local executors) do not interleave mid-line.
 */
final class LabeledOutput extends OutputStream {
  private final OutputStream out;
  private final byte[] label;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  private LabeledOutput(OutputStream out, String label) {
    this.out = out;
    this.label = label.getBytes(StandardCharsets.UTF_8);
  }

  /** Labels {@code System.out} and {@code System.err} from now on. */
  static void install(String label) {
    System.setOut(
        new PrintStream(new LabeledOutput(System.out, label), true, StandardCharsets.UTF_8));
    System.setErr(
        new PrintStream(new LabeledOutput(System.err, label), true, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (line.size() == 0) {
      line.write(label);
    }
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void emit() throws IOException {
    out.write(line.toByteArray());
    out.flush();
    line.reset();
  }

  /** A partial line waits for its end, so that it leaves in one piece. */
  @Override
  public void flush() {}

  @Override
  public synchronized void close() throws IOException {
    if (line.size() > 0) {
      line.write('\n');
      emit();
    }
    out.close();
  }
}
