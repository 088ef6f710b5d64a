/**
 * A pooling HTTP/1.1 client that reproduces Node's {@code http.Agent}: usable alone, it depends on
 * nothing else of this project.
 *
 * <p>The public API is {@link dev.keepalive.agent.Agent} (create, request, send, await, stats,
 * close), {@link dev.keepalive.agent.AgentOptions} with {@link dev.keepalive.agent.NodeVersion}
 * (the Node line it follows), {@link dev.keepalive.agent.Request}, {@link
 * dev.keepalive.agent.Response} with its {@link dev.keepalive.agent.Timings}, {@link
 * dev.keepalive.agent.AgentStats}, the error classes ({@link dev.keepalive.agent.ErrorClass},
 * {@link dev.keepalive.agent.AgentException}) and the pool's decisions alone ({@link
 * dev.keepalive.agent.Pool}).
 *
 * <p>A request flows one way: {@code Agent} → {@code Connections} (the connection lifecycle) →
 * {@code Pool} (Node's decisions) → {@code HttpConnection} (connect, write, read) → {@code
 * ResponseParser} → {@code Exchange} (the request's state and timestamps) → the caller's future.
 * Connections report their events to {@code Connections}, and only to it.
 *
 * <p>Threading rule, for the whole package: every piece of pool, socket and exchange state is
 * confined to one agent's event loop ({@code EventLoop}) and takes no locks; each stateful class
 * says so in its first comment and asserts it ({@code assert loop.inLoop()}) where state changes.
 * Other threads only hand tasks to the loop ({@code EventLoop.execute}). Immutable values ({@code
 * AgentOptions}, {@code Request}, {@code Response}, {@code Timings}, {@code AgentStats}) may be
 * shared freely. Diagnostics go to the {@code System.Logger} named {@code dev.keepalive.agent}, at
 * DEBUG (off by default), except a bug on the loop, logged at ERROR.
 */
package dev.keepalive.agent;
