/**
 * What the harness server's and the relay's standalone commands share: a builder's error reported
 * under the flag that set the value, and serving until the JVM is asked to stop. Depends on nothing
 * else of ours, so both {@code server} and {@code net} may use it.
 *
 * <p>Threading: the caller's thread, and one shutdown-hook thread.
 */
package dev.keepalive.command;
