package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void alignsTextLeftAndNumbersRight() {
    TextTable t =
        new TextTable()
            .text("strategy")
            .number("req/s")
            .row("keep-alive", "43,219")
            .row("no-agent", "9");
    assertEquals(
        "  strategy     req/s\n"
            + "  ----------  ------\n"
            + "  keep-alive  43,219\n"
            + "  no-agent         9\n",
        t.aligned("  "));
    assertEquals(
        "| strategy | req/s |\n|---|---:|\n| keep-alive | 43,219 |\n| no-agent | 9 |\n",
        t.markdown());
  }

  @Test
  void aRowMustFillEveryColumn() {
    assertThrows(IllegalArgumentException.class, () -> new TextTable().text("a").row("1", "2"));
  }
}
