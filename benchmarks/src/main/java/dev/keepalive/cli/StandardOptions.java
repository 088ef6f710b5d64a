package dev.keepalive.cli;

import picocli.CommandLine.Command;

/**
 * Mixed into every command: {@code -h/--help} and {@code -V/--version}, the version line, and the
 * same help layout and exit-code table. Declare it as a command's last field, so the help lists the
 * command's own options first.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    sortSynopsis = false,
    synopsisHeading = "usage: ",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the work failed (the message, or the output, says what)",
      "2:bad usage: the message names the flag, the value and what is allowed"
    })
final class StandardOptions {}
