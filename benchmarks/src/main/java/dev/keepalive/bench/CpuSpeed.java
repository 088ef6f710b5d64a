package dev.keepalive.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How fast each CPU runs at this moment: a fixed amount of work, timed on one CPU at a time. On a
 * virtual machine the host runs other guests on the same physical cores, and the guest sees no
 * steal time for it (this machine's {@code /proc/stat} reports none) and no load: its code simply
 * runs slower. Measured here with nothing else running in the guest, a Python loop took 200 ms on
 * one CPU and 320–350 ms on the other, minute by minute, and forks of one benchmark row measured
 * 46k to 91k req/s in one run. The suite probes before every fork and reports how far the CPUs'
 * speed varied, so that a wide interval can be told from a noisy benchmark. The probe sees part of
 * it only: it lasts 50 ms per CPU where a fork lasts seconds, and no one workload slows like
 * another.
 *
 * <p>Linux only (the probe pins its thread with {@code taskset}, see {@link CpuPinning}).
 * Thread-safety: stateless; {@link #probe} pins and restores the calling thread's mask.
 */
public final class CpuSpeed {

  /**
   * The work of one probe: steps of a small interpreter (a switch over random opcodes, so mostly
   * mispredicted indirect branches), about 50 ms on this machine at full speed. A xorshift chain,
   * which keeps to a few registers, ran at the same speed through the slow minutes and shows
   * nothing; code that leans on the branch predictors and caches, as the benchmark's does, slows.
   */
  public static final int ITERATIONS = 4_000_000;

  private static final byte[] PROGRAM = new byte[1 << 16];

  static {
    new java.util.Random(2).nextBytes(PROGRAM);
  }

  /** What the JIT must not remove. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  private static volatile boolean compiled;

  private CpuSpeed() {}

  /**
   * Milliseconds the fixed work took on each CPU in {@code cpus}, in order; the calling thread is
   * pinned to each in turn and gets its own mask back.
   *
   * @throws IOException when the thread cannot be pinned
   */
  public static List<Double> probe(List<Integer> cpus) throws IOException {
    if (!compiled) {
      for (int i = 0; i < 20; i++) {
        sink = run(ITERATIONS / 20); // compiled before anything is timed
      }
      compiled = true;
    }
    List<Double> millis = new ArrayList<>();
    for (int cpu : cpus) {
      try (CpuPinning.AutoCloseableIo pinned = CpuPinning.pinCurrentThread(String.valueOf(cpu))) {
        Thread.yield(); // let the scheduler move the thread before the clock starts
        long t0 = System.nanoTime();
        sink = run(ITERATIONS);
        millis.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return millis;
  }

  /** The interpreter: 8 opcodes, 16 registers, the next opcode's place depends on the result. */
  static long run(int steps) {
    long acc = 1;
    int[] regs = new int[16];
    int pc = 0;
    for (int i = 0; i < steps; i++) {
      int op = PROGRAM[pc] & 7;
      int r = PROGRAM[(pc + 1) & 0xffff] & 15;
      switch (op) {
        case 0 -> regs[r] += (int) acc;
        case 1 -> acc ^= regs[r];
        case 2 -> acc += regs[r] * 3L;
        case 3 -> regs[r] = (int) (acc >>> 3);
        case 4 -> acc = acc * 31 + r;
        case 5 -> acc = (acc & 1) == 0 ? acc >>> 1 : acc * 3 + 1;
        case 6 -> regs[r] ^= regs[(r + 1) & 15];
        default -> acc -= r;
      }
      pc = (pc + 2 + (int) (acc & 6)) & 0xffff;
    }
    return acc + regs[3];
  }

  /**
   * How each CPU's speed varied over the probes: per CPU, the slowest probe's speed as a percentage
   * of the fastest's (100 = steady).
   *
   * @param probes one list per probe, one value per CPU (as {@link #probe} returns them)
   */
  public static List<Double> slowestPercent(List<List<Double>> probes) {
    List<Double> out = new ArrayList<>();
    if (probes.isEmpty()) {
      return out;
    }
    for (int c = 0; c < probes.get(0).size(); c++) {
      double fastest = Double.MAX_VALUE;
      double slowest = 0;
      for (List<Double> p : probes) {
        fastest = Math.min(fastest, p.get(c));
        slowest = Math.max(slowest, p.get(c));
      }
      out.add(100 * fastest / slowest);
    }
    return out;
  }
}
