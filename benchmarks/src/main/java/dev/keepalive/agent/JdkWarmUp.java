package dev.keepalive.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Makes the JDK initialize its lazily set-up NIO dispatchers while file descriptors are plentiful.
 * The first socket write initializes a class that opens descriptors of its own; if that first write
 * happens when the process is out of descriptors, the JDK throws an {@code
 * ExceptionInInitializerError} (an Error, not an I/O failure) and every later write fails with
 * {@code NoClassDefFoundError}. Done once per JVM, before any agent's first socket.
 */
final class JdkWarmUp {

  private JdkWarmUp() {}

  static void run() {
    try {
      Pipe pipe = Pipe.open();
      try (Pipe.SinkChannel sink = pipe.sink();
          Pipe.SourceChannel source = pipe.source()) {
        sink.write(ByteBuffer.wrap(new byte[1]));
        source.read(ByteBuffer.allocate(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot initialize the JDK's NIO dispatchers", e);
    }
  }
}
