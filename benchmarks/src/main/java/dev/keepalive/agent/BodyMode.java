package dev.keepalive.agent;

/** What the agent keeps of a response body. */
public enum BodyMode {
  /** The body's bytes ({@link Response#body()}); length and SHA-256 are derived from them. */
  BUFFER,
  /** Discard the bytes, keep the length and the SHA-256 (computed as the body streams in). */
  DIGEST,
  /** Discard the bytes, keep only the length: the cheapest, for load loops. */
  COUNT
}
