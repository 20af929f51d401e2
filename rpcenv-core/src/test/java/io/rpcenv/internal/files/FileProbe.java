package io.rpcenv.internal.files;

/** The file server's messages, for tests that send what no honest reader would. */
public final class FileProbe {
  private FileProbe() {}

  public static Object read(String path, long offset, int length) {
    return new FileMessages.Read(path, offset, length);
  }
}
