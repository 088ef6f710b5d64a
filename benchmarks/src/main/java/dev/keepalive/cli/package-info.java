/**
 * The command line of {@code benchmarks.jar}, declared with picocli: one {@code @Command} class per
 * command ({@link dev.keepalive.cli.SuiteCommand suite}, {@link dev.keepalive.cli.OverheadCommand
 * overhead}, {@link dev.keepalive.cli.FaultsCommand faults}, {@link
 * dev.keepalive.cli.DistanceCommand distance}, {@link dev.keepalive.cli.ProbeCommand probe}, {@link
 * dev.keepalive.cli.ReportCommand report}, {@link dev.keepalive.cli.CompareCommand compare}, {@link
 * dev.keepalive.cli.ConformanceCommand conformance}, {@link dev.keepalive.server.ServerCommand
 * server}, {@link dev.keepalive.net.RelayCommand relay}, {@link dev.keepalive.cli.HelpCommand
 * help}) under {@link dev.keepalive.cli.BenchmarksJar}, which hands every other command line to JMH
 * unchanged.
 *
 * <p>What this package owns: flags, help and version text, exit codes, and turning a command's
 * flags into the values the rest of the code takes. It owns no rule about those values: flags map
 * onto the same builders the code uses ({@code AgentOptions.builder()}, {@code Request.builder()},
 * {@code ServerOptions.builder()}, {@code RelayOptions.builder()}), and a builder's {@link
 * IllegalArgumentException} is reported under the flag the user typed ({@link
 * dev.keepalive.cli.BadUsage#underFlag}). For that, the fields of a flag class are named after the
 * builder properties they set.
 *
 * <p>Failures: a command throws; {@link dev.keepalive.cli.Main} alone turns a failure into one line
 * on stderr and an exit code: 0 success, 1 the work failed, 2 bad usage (picocli's {@code
 * ParameterException}, whose message names the flag, the value and what is allowed).
 *
 * <p>Runs: {@code suite}, {@code overhead} and {@code faults} check their flags, their {@code -p}
 * values ({@link dev.keepalive.cli.JmhParams}) and JMH's lock before they make a folder, and mark
 * the folder with the outcome ({@link dev.keepalive.cli.JmhRun}); {@code benchmarks.jar}'s main
 * stops every child process when it exits ({@code bench.ChildProcesses}).
 *
 * <p>Threading: the command line runs on the main thread, one command per JVM; command objects are
 * used once and never shared. JMH runs benchmarks in forked JVMs and calls {@link
 * dev.keepalive.cli.Progress} on the main thread. The probe's agent runs its event loop on a thread
 * of its own; the probe only issues rounds to it and blocks on their futures.
 */
package dev.keepalive.cli;
