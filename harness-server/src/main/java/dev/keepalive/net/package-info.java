/**
 * The network-path relay: a user-space TCP relay between a client and a server that adds a round
 * trip time, jitter and a bandwidth limit to every byte, and closes idle flows the way load
 * balancers and NAT gateways do ({@code fin}, {@code rst}, or {@code silent}: the flow is forgotten
 * and the client's next bytes are answered with a reset). It stands in for {@code netem}, which
 * this project's machines lack. Entry points: {@link dev.keepalive.net.Relay} and {@link
 * dev.keepalive.net.RelayOptions}.
 *
 * <p>The package depends on nothing else of this repository but {@code dev.keepalive.command} (what
 * its command shares with the server's).
 *
 * <p>Threading rule, stated once: every relayed connection ({@code Flow}), its two directions and
 * its timers belong to exactly one {@code RelayLoop} and are touched only by that loop's thread
 * (asserted with {@code loop.inLoop()}). Other threads reach a loop only through {@code
 * RelayLoop.execute}. Counters ({@code RelayCounters}) are the one shared state: lock-free adders,
 * readable from any thread. {@link dev.keepalive.net.Relay#close()} and {@link
 * dev.keepalive.net.Relay#start} belong to one controlling thread.
 */
package dev.keepalive.net;
