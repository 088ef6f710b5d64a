package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuPinningTest {

  @Test
  void cpuListsParseAsTasksetWritesThem() {
    assertEquals(List.of(0, 1, 2, 5), CpuPinning.parse("0-2,5"));
    assertEquals(List.of(1), CpuPinning.parse("1"));
    assertEquals("0,1,2,5", CpuPinning.list(List.of(0, 1, 2, 5)));
  }

  @Test
  void aBadListIsRejectedNamingTheOptionAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CpuPinning.check(CpuPinning.SERVER_CPUS_PROPERTY, "one"));
    assertTrue(e.getMessage().contains("keepalive.serverCpus"), e.getMessage());
    assertTrue(e.getMessage().contains("'one'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CpuPinning.parse("3-1"));
  }

  @Test
  void theServerPrefixFollowsTheProperty() {
    assertEquals(List.of(), CpuPinning.serverPrefix());
    System.setProperty(CpuPinning.SERVER_CPUS_PROPERTY, "1");
    try {
      assertEquals(List.of("taskset", "-c", "1"), CpuPinning.serverPrefix());
      System.setProperty(CpuPinning.SERVER_CPUS_PROPERTY, "x");
      assertThrows(IllegalArgumentException.class, CpuPinning::serverPrefix);
    } finally {
      System.clearProperty(CpuPinning.SERVER_CPUS_PROPERTY);
    }
  }
}
