/**
 * Reports: a finished run folder → tables, charts and regression comparisons.
 *
 * <h2>What this package owns</h2>
 *
 * <ul>
 *   <li>Reading a run: JMH's {@code jmh.json}, the run's {@code env.json} ({@link
 *       dev.keepalive.report.Environment}, also written here when a run starts), and its {@code
 *       hdr/} files, named by {@code dev.keepalive.bench.TrialFiles} and read with HdrHistogram's
 *       own readers ({@code HistogramLogs}); nothing here parses {@code .hgrm} text.
 *   <li>Writing into that run's folder: {@code summary.md} and the PNG charts; and the published
 *       {@code results/README.md} ({@link dev.keepalive.report.Report#publish}). A report reads
 *       exactly one run and writes nowhere else.
 *   <li>The run layout ({@link dev.keepalive.report.RunFolder}): a new folder per run under {@code
 *       results/runs/}, {@code results/latest} pointing at the newest, and the {@code FAILED}
 *       marker of a run that failed or has not finished, which reports, publishing and comparisons
 *       read.
 *   <li>The table layouts and the regression verdicts ({@link dev.keepalive.report.Compare}).
 * </ul>
 *
 * Dependencies: {@code report → bench} for file names and row names only; {@code cli → report}.
 *
 * <h2>Threading</h2>
 *
 * One rule, <b>stateless</b>: every class is either static functions that keep nothing between
 * calls or an immutable record, so any thread may call anything. (Charts set {@code
 * java.awt.headless}, a JVM-wide property, before drawing.)
 */
package dev.keepalive.report;
