package dev.keepalive.agent;

/** Which free socket a request takes from its origin's pool (Node's {@code scheduling}). */
public enum Scheduling {
  /** The most recently freed socket: the warmest; lets the others expire. Node's default. */
  LIFO,
  /** The least recently freed socket: spreads requests over every pooled socket. */
  FIFO;

  /** Node's spelling: {@code lifo} or {@code fifo}. */
  public String nodeName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the option, the value and the allowed values
   */
  public static Scheduling parse(String value) {
    for (Scheduling s : values()) {
      if (s.nodeName().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "scheduling must be one of: 'fifo', 'lifo', was '" + value + "'");
  }
}
