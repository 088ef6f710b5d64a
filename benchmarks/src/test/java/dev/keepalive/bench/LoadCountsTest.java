package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keepalive.agent.ErrorClass;
import org.junit.jupiter.api.Test;

class LoadCountsTest {

  @Test
  void everyIssuedRequestEndedOkOrAsAnError() {
    LoadCounts c = new LoadCounts();
    c.issued = 5;
    c.ok = 4;
    c.error(ErrorClass.CLOSED_EARLY);
    c.requireComplete("keep-alive");
  }

  @Test
  void aLostRequestFailsTheTrialWithOneMessage() {
    LoadCounts c = new LoadCounts();
    c.issued = 5;
    c.ok = 3;
    c.error(ErrorClass.RESET);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> c.requireComplete("max-sockets-4"));
    assertEquals("max-sockets-4: lost requests: ok 3 + errors 1 != issued 5", e.getMessage());
  }
}
