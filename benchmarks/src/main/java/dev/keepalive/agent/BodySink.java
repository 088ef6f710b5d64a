package dev.keepalive.agent;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Collects a response body as its {@link BodyMode} asks: bytes, a running SHA-256, or a count. */
final class BodySink {
  private final BodyMode mode;
  private byte[] bytes;
  private MessageDigest digest;
  private long length;

  BodySink(BodyMode mode) {
    this.mode = mode;
    if (mode == BodyMode.BUFFER) {
      bytes = new byte[256];
    } else if (mode == BodyMode.DIGEST) {
      digest = newDigest();
    }
  }

  /** Takes all remaining bytes of {@code data}. */
  void accept(ByteBuffer data) {
    int n = data.remaining();
    switch (mode) {
      case BUFFER -> {
        if (length + n > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException(
              "body over 2 GiB cannot be buffered; use BodyMode.DIGEST");
        }
        if (length + n > bytes.length) {
          bytes =
              Arrays.copyOf(
                  bytes,
                  (int) Math.min(Integer.MAX_VALUE - 8, Math.max(length + n, bytes.length * 2L)));
        }
        data.get(bytes, (int) length, n);
      }
      case DIGEST -> digest.update(data);
      case COUNT -> data.position(data.limit());
    }
    length += n;
  }

  long length() {
    return length;
  }

  byte[] bytes() {
    return mode == BodyMode.BUFFER ? Arrays.copyOf(bytes, (int) length) : null;
  }

  String sha256Hex() {
    return mode == BodyMode.DIGEST ? HexFormat.of().formatHex(digest.digest()) : null;
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(newDigest().digest(data));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
