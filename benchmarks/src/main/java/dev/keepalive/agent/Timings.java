package dev.keepalive.agent;

/**
 * When each phase of a request was reached, in milliseconds (fractional) from the request's start,
 * with the names of the {@code request} library's {@code timings}. On a socket that was already
 * connected when the request got it (a pool hit or a queue hand-off) {@code lookup == socket} and
 * {@code connect == lookup}.
 *
 * @param socket a socket was assigned (after any wait in the agent's queue)
 * @param lookup the host name was resolved
 * @param connect the TCP connection was established
 * @param response the first byte of the response arrived
 * @param end the last byte of the response arrived
 */
public record Timings(double socket, double lookup, double connect, double response, double end) {}
