/**
 * Node conformance: the same scenarios run through a real Node binary's {@code http.Agent} and
 * through {@link dev.keepalive.agent.Agent} with the matching {@link
 * dev.keepalive.agent.NodeVersion}, against a scripted server that records, from its own side,
 * which connection carried each request. Used by the {@code conformance} command and by {@code
 * NodeConformanceIT}.
 *
 * <p>The pieces: {@link dev.keepalive.conformance.Scenarios} (the catalogue), {@link
 * dev.keepalive.conformance.ScenarioServer} (the scripted server and its log), {@link
 * dev.keepalive.conformance.NodeRun} and {@link dev.keepalive.conformance.AgentRun} (one run of
 * every scenario each), {@link dev.keepalive.conformance.Trace} (what is compared), {@link
 * dev.keepalive.conformance.Conformance} (one Node line, both runs, the verdicts) and {@link
 * dev.keepalive.conformance.NodeBinaries} (the pinned Node releases, fetched once from the npm
 * registry and cached).
 *
 * <p>Threading: a run is driven by one thread; the server answers each connection on a thread of
 * its own and records into synchronized logs.
 */
package dev.keepalive.conformance;
