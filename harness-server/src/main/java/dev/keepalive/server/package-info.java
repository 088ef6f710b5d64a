/**
 * The harness server: an embedded Undertow HTTP/1.1 target that makes connection reuse visible
 * (every counted response names the client port and the request's index on its connection), counts
 * connections per listener, and misbehaves on demand.
 *
 * <h2>What this package owns</h2>
 *
 * <ul>
 *   <li>The server's options and their one builder: {@link dev.keepalive.server.ServerOptions}
 *       ({@code ServerOptions.builder()…start()}, or {@link
 *       dev.keepalive.server.HarnessServer#start(ServerOptions)}).
 *   <li>The sockets ({@code Listeners}: Undertow's HTTP/1.1 parser on an XNIO worker) and, per
 *       connection, its timeouts and the checks Undertow does not make ({@code ConnectionWatch}).
 *   <li>The routes ({@code Routes}, {@code ControlRoutes}, {@code Echo}) and the server-side
 *       counts, and the {@code /stats} JSON, whose field names are a published schema: {@link
 *       dev.keepalive.server.ServerStats} writes and reads it.
 *   <li>The standalone {@code Main}. The package depends on nothing else of ours but {@code
 *       dev.keepalive.command} (what its command shares with the relay's).
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Each class follows one of these rules and names it in its first comment:
 *
 * <ul>
 *   <li><b>Immutable</b>: values (options, stats snapshots) are shared freely; a builder belongs to
 *       the thread that fills it.
 *   <li><b>Controlled</b>: a lifecycle object is started and closed by one controlling thread; its
 *       queries ({@code stats()}, {@code resetStats()}) may come from any thread while it runs.
 *   <li><b>IO threads</b>: called concurrently by Undertow's IO threads, one request at a time per
 *       connection. State of one connection is touched only by that connection's IO thread; state
 *       shared by connections is atomic or guarded by the owning object's lock. Nothing blocks an
 *       IO thread (a blocking route dispatches to a worker thread).
 *   <li><b>Locked</b>: an object of one connection that its IO thread and, now and then, another
 *       thread touch (an exchange can end on a worker thread) is guarded by its own lock; it calls
 *       no listener, route or close while holding it.
 * </ul>
 */
package dev.keepalive.server;
