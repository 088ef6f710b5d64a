/**
 * The JMH benchmarks and what they need: benchmark-only code lives here, never in {@code agent}.
 *
 * <h2>What this package owns</h2>
 *
 * <ul>
 *   <li>The strategy catalogue, {@link dev.keepalive.bench.Strategy}: every row name of every
 *       table, the client it configures, and the row lists (the benchmarks' {@code @Param} lists
 *       are spelled with its constants and read back by it).
 *   <li>The benchmarks ({@code StrategyBenchmark}, {@code OverheadBenchmark}, {@code
 *       FaultBenchmark}), the loads that drive the clients, and the trial checks (one completeness
 *       check: {@code LoadCounts.requireComplete}).
 *   <li>The files a trial writes: their names ({@link dev.keepalive.bench.TrialFiles}, for the
 *       writer here and every reader in {@code report}), the per-phase histograms and the totals
 *       ({@link dev.keepalive.bench.TrialTotals}).
 *   <li>Where the requests go ({@code TargetServer}: the harness server in its own JVM, embedded,
 *       or external) and the peer clients.
 * </ul>
 *
 * Dependencies: {@code bench → agent}, {@code bench → server}; {@code report} reads this package's
 * names and catalogue.
 *
 * <h2>Threading</h2>
 *
 * Each class follows one of these rules and names it in its first comment:
 *
 * <ul>
 *   <li><b>Immutable</b>: catalogue entries, file names, totals; share freely.
 *   <li><b>Benchmark thread</b>: a load, its counts and its histograms belong to the one JMH thread
 *       whose {@code @State(Scope.Thread)} created them, which drives them (our agent's event loop
 *       runs on that thread) and closes them. No locks, no hand-offs.
 *   <li><b>Trial state</b>: a {@code @State(Scope.Benchmark)} object is set up and torn down by JMH
 *       on one thread; benchmark threads read what setup published, call only its thread-safe
 *       queries, and add their results to it at trial end only under its lock.
 *   <li><b>Worker threads</b>: a load of a blocking peer client runs its own worker threads, which
 *       call the client concurrently (the library clients are thread-safe; {@code raw-socket} gives
 *       each caller its own connection) and hand each completion to the benchmark thread through a
 *       concurrent queue or a future. Everything else of the load follows the benchmark-thread
 *       rule.
 * </ul>
 */
package dev.keepalive.bench;
